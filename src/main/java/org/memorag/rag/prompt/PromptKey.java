package org.memorag.rag.prompt;

/** The MemoRAG templates (BEACON_SPEC.md A.5), each a resource prompts/{lang}/{file}.txt. */
public enum PromptKey {
    /** Memorize: wraps the whole document; {context}. */
    CONTEXT("context"),
    /** Rewrite: surrogate clue questions; {question}. */
    SUR("sur"),
    /** Recall: clue text spans; {question}. */
    SPAN("span"),
    /** The memory's own answer; {question}. */
    QA("qa"),
    /** Key points of the whole document; no placeholder. */
    SUM("sum"),
    /** Final answer from evidence; {context}, {input}. */
    QA_GEN("qa_gen"),
    /** Final summary from evidence; {context}. */
    SUM_GEN("sum_gen"),
    /** Lite: one gist of a chunk; {context}. */
    GIST("gist"),
    /** The assistant's acknowledgement after the context (used only when localized). */
    DULL_REPLY("dull_reply");

    private final String file;

    PromptKey(String file) {
        this.file = file;
    }

    /** Upstream key name, also the resource file stem. */
    public String file() {
        return file;
    }
}
