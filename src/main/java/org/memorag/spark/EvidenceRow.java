package org.memorag.spark;

import java.io.Serializable;

/** One retrieved chunk in an answer row: {@code evidence} element of the answers table. */
public record EvidenceRow(int chunkId, float score, String text) implements Serializable {}
