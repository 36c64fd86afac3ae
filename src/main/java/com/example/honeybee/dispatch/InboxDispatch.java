package com.example.honeybee.dispatch;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.honeybee.inbox.InboxEntry;
import com.example.honeybee.inbox.InboxRepository;

/**
 * The dispatcher's claim with a batch size that adapts to the backlog: it starts at 1 (an event arriving
 * alone is processed alone, at once), doubles while each claim comes back full (a backlog), up to
 * {@code maxBatch} ({@code honeybee.inbox.batch-size}), and falls back to what the last claim found.
 */
public class InboxDispatch {

    private final InboxRepository inbox;
    private final int maxBatch;
    private final InboxAdmission admission;
    private final AtomicInteger size = new AtomicInteger(1);

    /** @param admission told of every claim, so intake knows the dispatcher's lag */
    public InboxDispatch(InboxRepository inbox, int maxBatch, InboxAdmission admission) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("honeybee.inbox.batch-size must be at least 1; was " + maxBatch);
        }
        this.inbox = inbox;
        this.maxBatch = maxBatch;
        this.admission = admission;
    }

    /** Claims the next batch (possibly empty) for this worker's lease, oldest first, at most one event per patient. */
    public List<InboxEntry> claim() {
        int limit = size.get();
        List<InboxEntry> claimed = inbox.claimBatch(limit);
        admission.claimed(claimed);
        size.set(next(limit, claimed.size(), maxBatch));
        return claimed;
    }

    /** The next claim's size after a claim of {@code limit} found {@code found}: double when full, else what was found. */
    static int next(int limit, int found, int maxBatch) {
        return found >= limit ? Math.min(maxBatch, limit * 2) : Math.max(1, found);
    }

    /** The size the next claim will ask for. */
    public int nextSize() {
        return size.get();
    }
}
