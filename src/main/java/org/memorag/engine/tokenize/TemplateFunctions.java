package org.memorag.engine.tokenize;

/**
 * Globals that Hugging Face transformers adds to every chat template's Jinja environment, as
 * static methods Jinjava can call.
 */
final class TemplateFunctions {
    private TemplateFunctions() {}

    /** {@code raise_exception(message)}: the template rejects the conversation. */
    public static Object raiseException(String message) {
        throw new RaisedByTemplate(message);
    }

    /** The exception a template raises on purpose; ChatTemplate finds it in the cause chain. */
    static final class RaisedByTemplate extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaisedByTemplate(String message) {
            super(message);
        }
    }
}
