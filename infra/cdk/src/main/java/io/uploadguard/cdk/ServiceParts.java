package io.uploadguard.cdk;

/** The parts of the stack every kind of compute runs against. */
record ServiceParts(UploadStorage storage, EventQueues queues, ServiceRoles roles, NotificationTargets notifications) {}
