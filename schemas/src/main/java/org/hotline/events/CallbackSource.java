package org.hotline.events;

/** Who called the citizen back: the automatic system (SMS/IVR) or staff doing a spot-check. */
public enum CallbackSource implements Wire {
    SYSTEM,
    SPOT_CHECK
}
