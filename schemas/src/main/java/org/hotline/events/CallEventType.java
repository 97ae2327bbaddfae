package org.hotline.events;

public enum CallEventType implements Wire {
    OFFERED,
    ANSWERED,
    ABANDONED,
    ENDED
}
