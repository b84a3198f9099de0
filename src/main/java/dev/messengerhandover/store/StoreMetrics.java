package dev.messengerhandover.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** DynamoDB requests and the capacity DynamoDB says they consumed: the cost side of each event. */
@ApplicationScoped
public class StoreMetrics {

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    void read(ConsumedCapacity capacity) {
        reads.incrementAndGet();
        if (capacity != null && capacity.capacityUnits() != null) {
            readUnits.add(capacity.capacityUnits());
        }
    }

    void write(ConsumedCapacity capacity) {
        writes.incrementAndGet();
        if (capacity != null && capacity.capacityUnits() != null) {
            writeUnits.add(capacity.capacityUnits());
        }
    }

    void conflict() {
        conflicts.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(reads.get(), writes.get(), conflicts.get(), readUnits.sum(), writeUnits.sum());
    }

    /** Counts since start; subtract two snapshots to measure a stretch of work. */
    public record Snapshot(long reads, long writes, long conflicts, double readUnits, double writeUnits) {
        public Snapshot minus(Snapshot before) {
            return new Snapshot(reads - before.reads, writes - before.writes, conflicts - before.conflicts,
                    readUnits - before.readUnits, writeUnits - before.writeUnits);
        }
    }
}
