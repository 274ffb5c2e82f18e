package io.uploadguard.signer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param bucket the bucket uploads go to ({@code uploadguard.bucket}) */
@ConfigurationProperties("uploadguard")
public record SignerProperties(@DefaultValue("uploadguard") String bucket) {}
