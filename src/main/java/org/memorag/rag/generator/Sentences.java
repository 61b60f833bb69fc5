package org.memorag.rag.generator;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits passages into sentences for the extractive generator: lines first (a line break ends a
 * sentence in headings and lists), then the JDK's Unicode sentence boundaries, which also know
 * the full-width stops of Chinese. Sentences are trimmed; empty ones dropped.
 */
final class Sentences {
    private Sentences() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
            it.setText(l);
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                String s = l.substring(start, end).strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
