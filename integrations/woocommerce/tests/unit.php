<?php
/**
 * The plugin's pure parts: money conversion and signature checks.
 * Run: php tests/unit.php (exits 1 on the first failure).
 */

define( 'ABSPATH', __DIR__ . '/' );
require __DIR__ . '/../includes/class-kassa-money.php';
require __DIR__ . '/../includes/class-kassa-webhook.php';
require __DIR__ . '/../includes/class-kassa-mode.php';

function check( $what, $got, $want ) {
	if ( $got !== $want ) {
		fwrite( STDERR, "FAIL $what: got " . var_export( $got, true ) . ', want ' . var_export( $want, true ) . "\n" );
		exit( 1 );
	}
}

check( 'EUR', Kassa_Money::to_minor( '25.5', 'EUR' ), 2550 );
check( 'EUR whole', Kassa_Money::to_minor( '25', 'eur' ), 2500 );
check( 'JPY', Kassa_Money::to_minor( '2500', 'JPY' ), 2500 );
check( 'KWD', Kassa_Money::to_minor( '1.234', 'KWD' ), 1234 );
check( 'trailing zeros', Kassa_Money::to_minor( '0.100', 'EUR' ), 10 );
check( 'too precise', Kassa_Money::to_minor( '1.005', 'EUR' ), null );
check( 'JPY fraction', Kassa_Money::to_minor( '1.5', 'JPY' ), null );
check( 'negative', Kassa_Money::to_minor( '-1.00', 'EUR' ), null );
check( 'text', Kassa_Money::to_minor( '1e3', 'EUR' ), null );

$secret  = 'whsec_' . base64_encode( 'a secret of some length' );
$body    = '{"id":"evt_1","type":"checkout.session.completed"}';
$sign    = function ( $key, $id, $at ) use ( $body ) {
	return 'v1,' . base64_encode( hash_hmac( 'sha256', "$id.$at.$body", $key, true ) );
};
$headers = array( 'webhook-id' => 'evt_1', 'webhook-timestamp' => '1000', 'webhook-signature' => 'v1,bad ' . $sign( 'a secret of some length', 'evt_1', 1000 ) );
check( 'good, second of two', Kassa_Webhook::verify( $secret, $headers, $body, 1100 )['type'], 'checkout.session.completed' );
check( 'late', Kassa_Webhook::verify( $secret, $headers, $body, 1000 + 301 ), null );
check( 'other body', Kassa_Webhook::verify( $secret, $headers, $body . ' ', 1000 ), null );
check( 'other key', Kassa_Webhook::verify( 'whsec_' . base64_encode( 'another' ), $headers, $body, 1000 ), null );
check( 'no headers', Kassa_Webhook::verify( $secret, array(), $body, 1000 ), null );
check( 'live key', Kassa_Mode::is_live_key( ' sk_live_abc' ), true );
check( 'test key', Kassa_Mode::is_live_key( 'sk_test_abc' ), false );
check( 'live store, test session', Kassa_Mode::accepts( 'sk_live_abc', array( 'livemode' => false ) ), false );
check( 'live store, no mode said', Kassa_Mode::accepts( 'sk_live_abc', array() ), false );
check( 'live store, live session', Kassa_Mode::accepts( 'sk_live_abc', array( 'livemode' => true ) ), true );
check( 'test store, test session', Kassa_Mode::accepts( 'sk_test_abc', array( 'livemode' => false ) ), true );
echo "unit.php: all checks passed\n";
