package io.uploadguard.cdk;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link UploadGuardStack}, configured by CDK context (see
 * {@link UploadGuardSettings#DEFAULTS} and {@code docs/infra.md}). Run by {@code cdk synth/deploy}
 * through {@code cdk.json}, or offline by {@code infra/cdk/synth.sh}, which writes
 * {@code infra/cdk/cdk.out/UploadGuard.template.json}.
 */
public final class UploadGuardApp {

    private UploadGuardApp() {}

    public static void main(String[] args) {
        App app = new App();
        createStack(app);
        app.synth();
    }

    /** Adds the stack to {@code app}, configured from the app's context. */
    public static UploadGuardStack createStack(App app) {
        UploadGuardSettings settings =
                UploadGuardSettings.fromContext(key -> app.getNode().tryGetContext(key));
        return new UploadGuardStack(
                app,
                settings.stackName(),
                StackProps.builder()
                        .stackName(settings.stackName())
                        .description(
                                "UploadGuard: presigned-PUT upload bucket, S3 events queue, enforcer and signer roles, alarms")
                        .build(),
                settings);
    }
}
