package org.hotline.events;

public enum RequestType implements Wire {
    HELP,
    CONSULTATION,
    COMPLAINT,
    SUGGESTION,
    OTHER,
    INVALID
}
