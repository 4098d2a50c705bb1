<?php
/**
 * Verifies Kassa's webhooks by the Standard Webhooks specification: the
 * signature is `v1,` + base64(HMAC-SHA256(secret, "id.timestamp.body")),
 * where the secret is the base64 after `whsec_`. Several signatures may be
 * sent (during a secret roll); one match is enough.
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

final class Kassa_Webhook {
	/** A message older or newer than this many seconds is refused (replays). */
	const TOLERANCE = 300;

	/**
	 * The decoded event, or null when the signature does not verify.
	 *
	 * @param string $secret  `whsec_...` from Kassa.
	 * @param array  $headers Lower-case header names to values.
	 * @param string $body    The raw request body, exactly as received.
	 * @param int    $now     Unix seconds.
	 */
	public static function verify( $secret, array $headers, $body, $now ) {
		$id        = isset( $headers['webhook-id'] ) ? (string) $headers['webhook-id'] : '';
		$timestamp = isset( $headers['webhook-timestamp'] ) ? (string) $headers['webhook-timestamp'] : '';
		$signature = isset( $headers['webhook-signature'] ) ? (string) $headers['webhook-signature'] : '';
		if ( '' === $id || ! ctype_digit( $timestamp ) || '' === $signature || 0 !== strpos( $secret, 'whsec_' ) ) {
			return null;
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE ) {
			return null;
		}
		$key = base64_decode( substr( $secret, 6 ), true );
		if ( false === $key || '' === $key ) {
			return null;
		}
		$expected = base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) );
		foreach ( explode( ' ', $signature ) as $candidate ) {
			$parts = explode( ',', $candidate, 2 );
			if ( 2 === count( $parts ) && 'v1' === $parts[0] && hash_equals( $expected, $parts[1] ) ) {
				$event = json_decode( $body, true );
				return is_array( $event ) ? $event : null;
			}
		}
		return null;
	}
}
