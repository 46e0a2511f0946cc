package io.wetee.crypto;

/**
 * Base of every exception this module throws on purpose. A plain {@code CryptoException} is a
 * fault: a broken platform (no AES-GCM provider), a violated precondition (threshold larger than
 * the member count) or a bug. Expected failures caused by untrusted input carry a {@link Reason}
 * and are thrown as {@link InvalidInputException}, or returned as values where the API says so.
 */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
