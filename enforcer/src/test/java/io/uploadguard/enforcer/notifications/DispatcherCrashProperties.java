package io.uploadguard.enforcer.notifications;

import static io.uploadguard.enforcer.notifications.NotificationTests.BUCKET;
import static io.uploadguard.enforcer.notifications.NotificationTests.accept;
import static io.uploadguard.enforcer.notifications.NotificationTests.reserve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.uploadguard.ledger.Upload;
import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox and the dispatcher as a state machine, against the sandbox's real PostgreSQL: any
 * interleaving of bookings, rolled-back bookings, dispatcher rounds and crashes (after claiming,
 * after sending, in the middle of a batch) and restarts still delivers every booked event at least
 * once, in order per upload, and announces nothing that was not booked.
 */
@Tag("integration")
class DispatcherCrashProperties {

    /** What happens next. */
    enum Step {
        /** The next booking of the script commits (with its event). */
        BOOK,
        /** A booking whose transaction rolls back (a crash before commit). */
        BOOK_ROLLED_BACK,
        /** A full dispatcher round. */
        ROUND,
        /** The dispatcher dies after claiming, before sending. */
        CRASH_AFTER_CLAIM,
        /** The dispatcher dies after sending, before booking the outcome. */
        CRASH_AFTER_SEND,
        /** The dispatcher books half its batch and dies. */
        CRASH_MID_BATCH,
        /** A dispatcher starts again once the dead one's leases have ended. */
        RESTART
    }

    private final NotificationTestDatabase db = NotificationTestDatabase.shared();

    @Provide
    Arbitrary<List<Step>> scripts() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 25)
    void everyBookedEventIsDeliveredAtLeastOnceInOrder(
            @ForAll("scripts") List<Step> script, @ForAll @IntRange(min = 1, max = 3) int uploadCount) {
        String user = "crash-" + UUID.randomUUID();
        RecordingChannel channel = new RecordingChannel("crash-test-" + UUID.randomUUID());
        MovableClock clock = new MovableClock();
        NotificationProperties properties = NotificationTests.properties(
                java.net.URI.create("https://unused.invalid/"),
                NotificationTests.newSecret(),
                "unused",
                Duration.ofHours(1));
        NotificationDispatcher dispatcher = new NotificationDispatcher(
                db.queue,
                db.deliveries,
                NotificationChannels.of(List.of(channel)),
                properties,
                new NotificationMetrics(
                        new SimpleMeterRegistry(), List.of(channel.route().channel())),
                NotificationConfiguration.senders(properties),
                clock);
        Deque<Runnable> bookings = bookings(user, uploadCount);
        List<UUID> neverBooked = new ArrayList<>();
        try {
            for (Step step : script) {
                run(step, dispatcher, clock, bookings, neverBooked, user);
            }
            clock.passLeases();
            Set<String> booked = Set.copyOf(db.jdbc
                    .sql("SELECT CAST(id AS text) FROM notification_outbox WHERE user_id = :user")
                    .param("user", user)
                    .query(String.class)
                    .list());
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dispatcher.dispatchOnce();
                return channel.sentIds().containsAll(booked);
            });

            for (UUID upload : neverBooked) {
                assertThat(channel.sent()).noneMatch(d -> d.payload().contains(upload.toString()));
            }
            assertThat(channel.sent()).allMatch(d -> d.payload().contains("\"id\":\"" + d.eventId() + "\""));
            assertOrderPerUpload(channel, user);
        } finally {
            dispatcher.close();
        }
    }

    private void run(
            Step step,
            NotificationDispatcher dispatcher,
            MovableClock clock,
            Deque<Runnable> bookings,
            List<UUID> neverBooked,
            String user) {
        switch (step) {
            case BOOK -> {
                if (!bookings.isEmpty()) {
                    bookings.poll().run();
                }
            }
            case BOOK_ROLLED_BACK -> {
                Upload upload = reserve(db.ledger, user, "rolled-back");
                neverBooked.add(upload.uploadId());
                new TransactionTemplate(db.transactions).executeWithoutResult(tx -> {
                    accept(db.ledger, upload);
                    tx.setRollbackOnly();
                });
            }
            case ROUND -> dispatcher.dispatchOnce();
            case CRASH_AFTER_CLAIM -> {
                dispatcher.fanOut();
                dispatcher.claim();
            }
            case CRASH_AFTER_SEND -> {
                dispatcher.fanOut();
                dispatcher.claim().forEach(dispatcher::send);
            }
            case CRASH_MID_BATCH -> {
                dispatcher.fanOut();
                List<Delivery> claimed = dispatcher.claim();
                for (int i = 0; i < claimed.size(); i++) {
                    Optional<String> outcome = dispatcher.send(claimed.get(i));
                    if (i < claimed.size() / 2) {
                        dispatcher.book(claimed.get(i), outcome);
                    }
                }
            }
            case RESTART -> clock.passLeases();
        }
    }

    /** For each upload: accepted (its event), then removed (its event), interleaved across uploads. */
    private Deque<Runnable> bookings(String user, int uploadCount) {
        Deque<Runnable> accepts = new ArrayDeque<>();
        Deque<Runnable> removals = new ArrayDeque<>();
        for (int i = 0; i < uploadCount; i++) {
            Upload upload = reserve(db.ledger, user, "upload-" + i);
            accepts.add(() -> accept(db.ledger, upload));
            removals.add(() ->
                    db.ledger.remove(BUCKET, NotificationTests.LAYOUT.servedKey(upload.objectKey()), Instant.now()));
        }
        Deque<Runnable> all = new ArrayDeque<>(accepts);
        all.addAll(removals);
        return all;
    }

    /** The first time each event of an upload was sent, they came in booking order. */
    private void assertOrderPerUpload(RecordingChannel channel, String user) {
        List<String> uploads = db.jdbc
                .sql("SELECT DISTINCT CAST(upload_id AS text) FROM notification_outbox WHERE user_id = :user")
                .param("user", user)
                .query(String.class)
                .list();
        for (String upload : uploads) {
            List<String> bookedOrder = db.jdbc
                    .sql(
                            "SELECT CAST(id AS text) FROM notification_outbox WHERE upload_id = CAST(:u AS uuid) ORDER BY sequence")
                    .param("u", upload)
                    .query(String.class)
                    .list();
            List<String> firstSent = channel.sent().stream()
                    .map(d -> d.eventId().toString())
                    .filter(bookedOrder::contains)
                    .distinct()
                    .toList();
            assertThat(firstSent).isEqualTo(bookedOrder);
        }
    }

    /** A channel that takes everything and remembers it, in order. */
    static final class RecordingChannel implements NotificationChannel {
        private final ChannelRoute route;
        private final List<Delivery> sent = new CopyOnWriteArrayList<>();

        RecordingChannel(String name) {
            this.route = new ChannelRoute(name, Set.of(), Set.of());
        }

        @Override
        public ChannelRoute route() {
            return route;
        }

        @Override
        public void send(Delivery delivery) {
            sent.add(delivery);
        }

        List<Delivery> sent() {
            return sent;
        }

        Set<String> sentIds() {
            return Set.copyOf(sent.stream().map(d -> d.eventId().toString()).toList());
        }
    }

    /** Real time plus however long the test let pass: a restart skips past every lease. */
    static final class MovableClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        void passLeases() {
            ahead = ahead.plus(Duration.ofMinutes(10));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
