<?php
/**
 * Test mode and live mode. A store set up with a live key takes live money
 * only: a session made in test mode (with a sandbox card) never completes
 * one of its orders, whatever a webhook says.
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

class Kassa_Mode {
	/** Whether the store's secret key is a live one (`sk_live_…`). */
	public static function is_live_key( $secret_key ) {
		return 0 === strpos( trim( (string) $secret_key ), 'sk_live_' );
	}

	/** Whether a session may move an order of a store with this key. */
	public static function accepts( $secret_key, array $session ) {
		return ! self::is_live_key( $secret_key ) || ! empty( $session['livemode'] );
	}
}
