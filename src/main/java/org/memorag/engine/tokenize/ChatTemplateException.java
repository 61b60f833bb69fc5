package org.memorag.engine.tokenize;

/**
 * A chat template that cannot be read or rendered: a missing or malformed tokenizer_config.json,
 * a Jinja feature Jinjava does not match, or the template's own {@code raise_exception(...)}.
 */
public class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
