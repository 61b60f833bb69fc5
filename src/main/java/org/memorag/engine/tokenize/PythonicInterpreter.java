package org.memorag.engine.tokenize;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * A Jinjava interpreter that prints values as Python's {@code str()} does where Jinjava's
 * differs: {@code {{ true }}} is "True" (Jinjava: "true"); strings print unchanged (Jinjava's
 * Python-style mapper, kept for lists and dicts, escapes control characters).
 */
final class PythonicInterpreter extends JinjavaInterpreter {
    PythonicInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
        super(jinjava, context, config);
    }

    PythonicInterpreter(JinjavaInterpreter parent) {
        super(parent);
    }

    @Override
    public String getAsString(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String s) {
            return s;  // the Pyish mapper would escape control characters (\u001C) like JSON
        }
        return super.getAsString(value);
    }

    /** Makes every interpreter of a Jinjava instance (child scopes too) a PythonicInterpreter. */
    static final class Factory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PythonicInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava jinjava, Context context,
                JinjavaConfig config) {
            return new PythonicInterpreter(jinjava, context, config);
        }
    }
}
