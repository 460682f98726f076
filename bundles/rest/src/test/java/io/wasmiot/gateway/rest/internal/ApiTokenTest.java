package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ApiTokenTest {

    @Test
    public void onlyTheBearerOfTheConfiguredTokenIsAccepted() {
        ApiToken token = new ApiToken("s3cret");
        assertTrue(token.configured());
        assertTrue(token.accepts("Bearer s3cret"));
        assertTrue("surrounding blanks are not part of the token", token.accepts("Bearer  s3cret "));
        assertFalse(token.accepts("Bearer s3cret2"));
        assertFalse(token.accepts("Bearer s3cre"));
        assertFalse(token.accepts("Basic s3cret"));
        assertFalse(token.accepts("s3cret"));
        assertFalse(token.accepts(null));
    }

    @Test
    public void withoutATokenNothingIsAcceptedAndItSaysSo() {
        ApiToken none = new ApiToken(" ");
        assertFalse(none.configured());
        assertFalse(none.accepts("Bearer "));
        assertFalse(none.accepts("Bearer  "));
        assertFalse(none.accepts(null));
    }
}
