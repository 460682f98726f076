package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.CodeSigner;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Checks a staged jar's signature as {@code jarsigner -verify} would, against a trust store: every
 * entry outside {@code META-INF/} is signed (the JDK's {@code JarFile} checks each entry's digest
 * against the signature while it is read, and throws on a tampered one), and by a signer whose
 * certificate chain holds a trusted certificate or is issued by one.
 */
final class JarSignatures {
    private final List<X509Certificate> trusted;

    private JarSignatures(List<X509Certificate> trusted) {
        this.trusted = trusted;
    }

    /** The certificates of a trust store (PKCS12 or JKS, by the file's content). */
    static JarSignatures trusting(Path trustStore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(trustStore.toFile(), password);
        List<X509Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                certificates.add(certificate);
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("the trust store " + trustStore + " holds no certificate");
        }
        return new JarSignatures(List.copyOf(certificates));
    }

    /** Refuses the jar unless every entry is signed by a trusted signer. */
    void verify(Path jar) throws UpdateRefused {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            int signed = 0;
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    in.transferTo(OutputStream.nullOutputStream()); // the signers are known once the entry is read
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null) {
                    throw refused(entry.getName() + " is not signed");
                }
                if (!anyTrusted(signers)) {
                    throw refused(entry.getName() + " is signed by " + subject(signers[0])
                            + ", which the trust store does not trust");
                }
                signed++;
            }
            if (signed == 0) {
                throw refused("the jar has no signed entry");
            }
        } catch (SecurityException e) {
            throw refused("the signature does not match the content: " + e.getMessage());
        } catch (IOException e) {
            throw refused("the jar could not be read for its signature: " + e.getMessage());
        }
    }

    private boolean anyTrusted(CodeSigner[] signers) {
        for (CodeSigner signer : signers) {
            for (Certificate certificate : signer.getSignerCertPath().getCertificates()) {
                if (certificate instanceof X509Certificate x509 && isTrusted(x509)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isTrusted(X509Certificate certificate) {
        for (X509Certificate anchor : trusted) {
            if (anchor.equals(certificate)) {
                return true;
            }
            if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(anchor.getPublicKey());
                    certificate.checkValidity();
                    return true;
                } catch (GeneralSecurityException e) {
                    // not issued by this anchor, or expired: try the next one
                }
            }
        }
        return false;
    }

    /** The files a signature adds: the jar's content is everything else. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-");
    }

    private static String subject(CodeSigner signer) {
        List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
        return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x509) ? "an unknown signer"
                : x509.getSubjectX500Principal().getName();
    }

    private static UpdateRefused refused(String reason) {
        return new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST, "signature refused: " + reason);
    }
}
