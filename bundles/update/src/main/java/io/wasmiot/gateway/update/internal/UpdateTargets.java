package io.wasmiot.gateway.update.internal;

import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Which bundle an update replaces, or why it may not. The service changes one bundle and refreshes
 * none: a bundle whose exported packages other bundles are wired to is refused, because those
 * bundles would keep running on its old classes until a refresh restarts them all (the API bundle
 * takes every gateway bundle with it); the web console's Install/Update and Refresh Packages remain
 * for that. The update bundle itself, the framework and fragments are refused too.
 */
final class UpdateTargets {
    private UpdateTargets() {
    }

    /** The bundle to update, or {@code null} for a new install ({@code wanted} empty). */
    static Bundle choose(BundleContext context, String wanted, StagedJar staged) throws UpdateRefused {
        Bundle installed = find(context, staged.symbolicName());
        if (wanted.isEmpty()) {
            if (installed != null) {
                throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, staged.symbolicName()
                        + " is installed already (bundle " + installed.getBundleId() + "): name it as the bundle to update");
            }
            return null;
        }
        if (!wanted.equals(staged.symbolicName())) {
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST, "the jar is bundle " + staged.symbolicName()
                    + ", not " + wanted);
        }
        if (installed == null) {
            throw new UpdateRefused(UpdateRefused.Kind.BAD_REQUEST, "no bundle " + wanted
                    + " is installed (to install a new bundle, name none)");
        }
        refuseUnsafe(installed, context.getBundle());
        return installed;
    }

    static Bundle find(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static void refuseUnsafe(Bundle bundle, Bundle self) throws UpdateRefused {
        if (bundle.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, "the framework is updated with a new gateway jar");
        }
        if (bundle.equals(self)) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, "the update service does not update itself "
                    + "(it would stop in the middle): use the web console's Install/Update");
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, bundle.getSymbolicName()
                    + " is a fragment: its host would need a refresh");
        }
        Set<String> users = usersOfExports(bundle);
        if (!users.isEmpty()) {
            throw new UpdateRefused(UpdateRefused.Kind.CONFLICT, bundle.getSymbolicName()
                    + " exports packages that " + users + " use: they would run on its old classes until a refresh "
                    + "restarts them all; this service updates one bundle and refreshes none (use the web console's "
                    + "Install/Update and Refresh Packages)");
        }
    }

    /** The other bundles wired to {@code bundle}'s exported packages. */
    static Set<String> usersOfExports(Bundle bundle) {
        Set<String> users = new TreeSet<>();
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return users;
        }
        for (BundleWire wire : wiring.getProvidedWires(BundleRevision.PACKAGE_NAMESPACE)) {
            Bundle requirer = wire.getRequirer().getBundle();
            if (!requirer.equals(bundle)) {
                users.add(requirer.getSymbolicName());
            }
        }
        return users;
    }
}
