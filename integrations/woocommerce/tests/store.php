<?php
/**
 * A tiny WooCommerce store for `php -S`: the plugin, loaded as WordPress
 * would load it, behind three routes.
 *
 *   POST /checkout                 {"currency", "email", "items": [{"name", "quantity", "price"}], "shipping"}
 *                                   places an order and pays it with Kassa (process_payment)
 *   GET  /order?id=N               the order as stored
 *   POST /?wc-api=wc_gateway_kassa Kassa's webhooks, as WooCommerce routes them
 */

require __DIR__ . '/wordpress.php';
require __DIR__ . '/../kassa-for-woocommerce.php';

$GLOBALS['kassa_settings'] = array(
	'enabled'        => 'yes',
	'api_url'        => getenv( 'KASSA_API_URL' ),
	'secret_key'     => getenv( 'KASSA_SECRET_KEY' ),
	'webhook_secret' => getenv( 'KASSA_WEBHOOK_SECRET' ),
);
do_action( 'plugins_loaded' );
$gateways = apply_filters( 'woocommerce_payment_gateways', array() );
$gateway  = new $gateways[0]();

header( 'Content-Type: application/json' );
$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );

if ( isset( $_GET['wc-api'] ) ) {
	do_action( 'woocommerce_api_' . $_GET['wc-api'] );
} elseif ( 'POST' === $_SERVER['REQUEST_METHOD'] && '/checkout' === $path ) {
	$cart   = json_decode( file_get_contents( 'php://input' ), true );
	$orders = wc_store();
	$id     = count( $orders ) + 101;
	$items  = array();
	$cents  = (int) round( ( $cart['shipping'] ?? 0 ) * 100 );
	foreach ( $cart['items'] as $item ) {
		$line    = (int) round( $item['price'] * 100 ) * $item['quantity'];
		$cents  += $line;
		$items[] = array( 'name' => $item['name'], 'quantity' => $item['quantity'], 'total' => sprintf( '%.2f', $line / 100 ) );
	}
	$order = new WC_Order(
		array(
			'id'        => $id,
			'order_key' => 'wc_order_' . bin2hex( random_bytes( 6 ) ),
			'status'    => 'pending',
			'currency'  => $cart['currency'],
			'total'     => sprintf( '%.2f', $cents / 100 ),
			'email'     => $cart['email'],
			'items'     => $items,
			'meta'      => array(),
			'notes'     => array(),
		)
	);
	$order->save();
	$result = $gateway->process_payment( $id );
	echo json_encode( $result + array( 'order_id' => $id, 'order_key' => $order->get_order_key(), 'notices' => $GLOBALS['wc_notices'] ?? array() ) );
} elseif ( '/order' === $path ) {
	$order = wc_get_order( $_GET['id'] ?? 0 );
	if ( ! $order ) {
		http_response_code( 404 );
	}
	echo json_encode( $order ? $order->data : null );
} else {
	http_response_code( 404 );
	echo '{}';
}
