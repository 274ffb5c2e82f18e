package io.uploadguard.enforcer.notifications;

import io.uploadguard.ledger.notifications.ChannelRoute;
import io.uploadguard.ledger.notifications.Delivery;

/** Somewhere notifications go: a webhook, an EventBridge bus, an SNS topic. */
interface NotificationChannel {

    /** Its name and which events it takes. */
    ChannelRoute route();

    /**
     * Sends one event; returning means the other side has it.
     *
     * @throws DeliveryFailure if it was refused or not answered in time
     */
    void send(Delivery delivery) throws DeliveryFailure;

    /** Why a send did not get through; the message is for operators (no secret, no payload). */
    final class DeliveryFailure extends Exception {

        DeliveryFailure(String message) {
            super(message, null, false, false);
        }
    }
}
