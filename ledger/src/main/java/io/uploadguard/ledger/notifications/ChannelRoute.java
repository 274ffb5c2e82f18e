package io.uploadguard.ledger.notifications;

import java.util.Objects;
import java.util.Set;

/**
 * A configured channel and which events it takes.
 *
 * @param channel its name, as the delivery rows and the metrics carry it
 * @param profiles only upload events of these profiles (user events always pass); empty for all
 * @param types only these event types ({@link NotificationType#wireName()}); empty for all
 */
public record ChannelRoute(String channel, Set<String> profiles, Set<String> types) {

    public ChannelRoute {
        Objects.requireNonNull(channel, "channel");
        profiles = profiles == null ? Set.of() : Set.copyOf(profiles);
        types = types == null ? Set.of() : Set.copyOf(types);
    }
}
