package io.wasmiot.gateway.update.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import jdk.security.jarsigner.JarSigner;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Jars signed with the JDK's jarsigner API by keys keytool made, checked against a trust store. */
public class JarSignaturesTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @ClassRule
    public static TemporaryFolder temporary = new TemporaryFolder();

    private static Path unsigned;
    private static Path signedByTrusted;
    private static Path signedByStranger;
    private static JarSignatures signatures;

    @BeforeClass
    public static void keysJarsAndTrustStore() throws Exception {
        Path dir = temporary.getRoot().toPath();
        Path trustedKeys = keyPair(dir, "trusted", "CN=gateway updates");
        Path strangerKeys = keyPair(dir, "stranger", "CN=someone else");
        unsigned = Files.write(dir.resolve("unsigned.jar"), TestJars.bundleJar("wasmiot.gateway.probe", "1.0.1"));
        signedByTrusted = sign(unsigned, trustedKeys, "trusted", dir.resolve("trusted.jar"));
        signedByStranger = sign(unsigned, strangerKeys, "stranger", dir.resolve("stranger.jar"));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway-updates", KeyStore.getInstance(trustedKeys.toFile(), PASSWORD).getCertificate("trusted"));
        Path trustStore = dir.resolve("update-trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD);
        }
        signatures = JarSignatures.trusting(trustStore, PASSWORD);
    }

    @Test
    public void aJarSignedByATrustedKeyPasses() throws Exception {
        signatures.verify(signedByTrusted);
    }

    @Test
    public void anUnsignedJarIsRefused() {
        assertTrue(refusal(unsigned), refusal(unsigned).contains("is not signed"));
    }

    @Test
    public void aJarSignedByAnotherKeyIsRefused() {
        assertTrue(refusal(signedByStranger), refusal(signedByStranger).contains("CN=someone else"));
    }

    @Test
    public void aSignedJarWithAChangedEntryIsRefused() throws Exception {
        Path tampered = temporary.getRoot().toPath().resolve("tampered.jar");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(signedByTrusted));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tampered))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                byte[] content = in.readAllBytes();
                out.write(entry.getName().equals("content.txt") ? "changed".getBytes(StandardCharsets.UTF_8) : content);
                out.closeEntry();
            }
        }
        assertTrue(refusal(tampered), refusal(tampered).contains("does not match"));
    }

    private static String refusal(Path jar) {
        try {
            signatures.verify(jar);
        } catch (UpdateRefused e) {
            assertEquals(UpdateRefused.Kind.BAD_REQUEST, e.kind);
            return e.getMessage();
        }
        throw new AssertionError(jar + " accepted");
    }

    /** A PKCS12 key store with one EC key pair and its self-signed certificate, made by keytool. */
    private static Path keyPair(Path dir, String alias, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(alias + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("keytool finished", keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals("keytool: " + output, 0, keytool.exitValue());
        return store;
    }

    private static Path sign(Path jar, Path keys, String alias, Path signed) throws Exception {
        KeyStore store = KeyStore.getInstance(keys.toFile(), PASSWORD);
        JarSigner signer = new JarSigner.Builder((PrivateKey) store.getKey(alias, PASSWORD),
                CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(store.getCertificateChain(alias))))
                .build();
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        }
        try (InputStream check = Files.newInputStream(signed)) {
            assertTrue(check.readAllBytes().length > 0);
        }
        return signed;
    }
}
