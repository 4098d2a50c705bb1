<?php
/**
 * The few WordPress and WooCommerce functions the plugin calls, standing in
 * for a WordPress install in the test. Orders live in a JSON file
 * (KASSA_WC_STATE) so that the checkout and the webhook, two requests to
 * `php -S`, see the same store. HTTP calls are real.
 */

define( 'ABSPATH', __DIR__ . '/' );

$GLOBALS['wp_hooks'] = array();

function add_action( $hook, $callback ) {
	$GLOBALS['wp_hooks'][ $hook ][] = $callback;
}
function add_filter( $hook, $callback ) {
	add_action( $hook, $callback );
}
function do_action( $hook, ...$args ) {
	foreach ( $GLOBALS['wp_hooks'][ $hook ] ?? array() as $callback ) {
		$callback( ...$args );
	}
}
function apply_filters( $hook, $value ) {
	foreach ( $GLOBALS['wp_hooks'][ $hook ] ?? array() as $callback ) {
		$value = $callback( $value );
	}
	return $value;
}
function __( $text, $domain = '' ) {
	return $text;
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}
function wp_unslash( $value ) {
	return $value;
}
function wp_json_encode( $value ) {
	return json_encode( $value, JSON_UNESCAPED_SLASHES );
}
function status_header( $code ) {
	http_response_code( $code );
}
function home_url( $path = '' ) {
	return 'http://' . $_SERVER['HTTP_HOST'] . $path;
}
function wc_add_notice( $message, $type ) {
	$GLOBALS['wc_notices'][] = array( $type, $message );
}

class WP_Error {
	private $message;
	public function __construct( $code, $message ) {
		$this->message = $message;
	}
	public function get_error_message() {
		return $this->message;
	}
}
function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

function wp_remote_request( $url, array $args ) {
	$lines = array();
	foreach ( $args['headers'] as $name => $value ) {
		$lines[] = "$name: $value";
	}
	$context = stream_context_create(
		array(
			'http' => array(
				'method'        => $args['method'],
				'header'        => implode( "\r\n", $lines ),
				'content'       => $args['body'] ?? '',
				'timeout'       => $args['timeout'],
				'ignore_errors' => true,
			),
		)
	);
	$body = @file_get_contents( $url, false, $context );
	if ( false === $body ) {
		return new WP_Error( 'http_request_failed', "could not reach $url" );
	}
	preg_match( '#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m );
	return array( 'code' => (int) ( $m[1] ?? 0 ), 'body' => $body );
}
function wp_remote_retrieve_response_code( $response ) {
	return $response['code'];
}
function wp_remote_retrieve_body( $response ) {
	return $response['body'];
}

/** The store's orders, read from and written back to KASSA_WC_STATE. */
function wc_store( $orders = null ) {
	$file = getenv( 'KASSA_WC_STATE' );
	if ( null !== $orders ) {
		file_put_contents( $file, json_encode( $orders, JSON_PRETTY_PRINT ), LOCK_EX );
	}
	return is_file( $file ) ? json_decode( file_get_contents( $file ), true ) : array();
}

class WC_Payment_Gateway {
	public $id;
	public $form_fields = array();
	public $settings    = array();
	public function init_settings() {
		$this->settings = $GLOBALS['kassa_settings'];
	}
	public function get_option( $key ) {
		return $this->settings[ $key ] ?? ( $this->form_fields[ $key ]['default'] ?? '' );
	}
	public function process_admin_options() {}
}

class WC_Order_Item {
	private $line;
	public function __construct( array $line ) {
		$this->line = $line;
	}
	public function get_name() {
		return $this->line['name'];
	}
	public function get_quantity() {
		return $this->line['quantity'];
	}
	public function get_total() {
		return $this->line['total'];
	}
}

class WC_Order {
	public $data;
	public function __construct( array $data ) {
		$this->data = $data;
	}
	public function get_id() {
		return $this->data['id'];
	}
	public function get_order_number() {
		return (string) $this->data['id'];
	}
	public function get_order_key() {
		return $this->data['order_key'];
	}
	public function get_total() {
		return $this->data['total'];
	}
	public function get_currency() {
		return $this->data['currency'];
	}
	public function get_billing_email() {
		return $this->data['email'];
	}
	public function get_status() {
		return $this->data['status'];
	}
	public function get_items() {
		return array_map( fn( $line ) => new WC_Order_Item( $line ), $this->data['items'] );
	}
	public function get_checkout_order_received_url() {
		return home_url( '/checkout/order-received/' . $this->get_id() . '/?key=' . $this->get_order_key() );
	}
	public function get_cancel_order_url_raw() {
		return home_url( '/cart/?cancel_order=true&order_id=' . $this->get_id() );
	}
	public function get_meta( $key ) {
		return $this->data['meta'][ $key ] ?? '';
	}
	public function update_meta_data( $key, $value ) {
		$this->data['meta'][ $key ] = $value;
	}
	public function add_order_note( $note ) {
		$this->data['notes'][] = $note;
		$this->save();
	}
	public function is_paid() {
		return in_array( $this->data['status'], array( 'processing', 'completed' ), true );
	}
	public function payment_complete( $transaction_id ) {
		$this->data['transaction_id'] = $transaction_id;
		$this->data['status']         = 'processing';
		$this->save();
	}
	public function update_status( $status, $note = '' ) {
		$this->data['status'] = $status;
		if ( $note ) {
			$this->data['notes'][] = $note;
		}
		$this->save();
	}
	public function save() {
		$orders                           = wc_store();
		$orders[ (string) $this->get_id() ] = $this->data;
		wc_store( $orders );
	}
}

function wc_get_order( $id ) {
	$orders = wc_store();
	return isset( $orders[ (string) $id ] ) ? new WC_Order( $orders[ (string) $id ] ) : false;
}
