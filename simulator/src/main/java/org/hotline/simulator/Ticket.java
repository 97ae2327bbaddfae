package org.hotline.simulator;

import java.util.ArrayList;
import java.util.List;
import org.hotline.events.Channel;
import org.hotline.events.Desk;
import org.hotline.events.RequestType;

/** A ticket being built: its attributes, then its life (what {@link TicketLives} writes as events). */
final class Ticket {
    String id;
    long created;
    String callId;
    String region;
    Channel channel;
    RequestType requestType;
    String category;
    String topic;
    List<String> tags = new ArrayList<>();
    Desk desk;
    boolean dispatched;
    String unit;
    boolean onTime;
    boolean extended;
    boolean contacted;
    /** What special story it tells, if any: piled (backlog), late, returned, bouncing, rejected, open, carried. */
    String story = "";

    int sysCallbacks;
    int sysSatisfied;
    int spotCallbacks;
    int spotSatisfied;
    /** Events written so far (its events' ids count on), when it was dispatched (open, carried) and completed. */
    int steps;

    long dispatchedAt;
    long completedAt;
    /** A piled-up ticket is completed only after all of its unit's piled-up tickets were dispatched. */
    long notBefore;
}
