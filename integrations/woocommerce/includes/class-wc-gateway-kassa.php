<?php
/**
 * The Kassa payment method: sends the customer to Kassa's hosted checkout
 * and marks the order paid only when a signed webhook says so and Kassa's
 * API, the single source of truth, agrees. The customer's return to the
 * "order received" page proves nothing and changes nothing.
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

class WC_Gateway_Kassa extends WC_Payment_Gateway {
	/** The events that can move an order; everything else is acknowledged. */
	const EVENTS = array(
		'checkout.session.completed',
		'checkout.session.async_payment_succeeded',
		'checkout.session.async_payment_failed',
	);

	public function __construct() {
		$this->id                 = 'kassa';
		$this->method_title       = __( 'Kassa', 'kassa' );
		$this->method_description = __( 'Card payments on Kassa\'s hosted checkout.', 'kassa' );
		$this->has_fields         = false;
		$this->supports           = array( 'products' );
		$this->init_form_fields();
		$this->init_settings();
		$this->title       = $this->get_option( 'title' );
		$this->description = $this->get_option( 'description' );
		add_action( 'woocommerce_update_options_payment_gateways_' . $this->id, array( $this, 'process_admin_options' ) );
		// Kassa's webhook endpoint: https://your-store.example/?wc-api=wc_gateway_kassa
		add_action( 'woocommerce_api_wc_gateway_kassa', array( $this, 'handle_webhook' ) );
	}

	public function init_form_fields() {
		$this->form_fields = array(
			'enabled'        => array( 'title' => __( 'Enable', 'kassa' ), 'type' => 'checkbox', 'default' => 'no', 'label' => __( 'Take payments with Kassa', 'kassa' ) ),
			'title'          => array( 'title' => __( 'Title', 'kassa' ), 'type' => 'text', 'default' => __( 'Card', 'kassa' ) ),
			'description'    => array( 'title' => __( 'Description', 'kassa' ), 'type' => 'textarea', 'default' => __( 'Pay securely by card on the next page.', 'kassa' ) ),
			'api_url'        => array( 'title' => __( 'Kassa URL', 'kassa' ), 'type' => 'text', 'description' => __( 'Where your Kassa runs, e.g. https://pay.example.com', 'kassa' ) ),
			'secret_key'     => array( 'title' => __( 'Secret API key', 'kassa' ), 'type' => 'password', 'description' => __( 'sk_... with the sessions:read and sessions:write scopes.', 'kassa' ) ),
			'site_id'        => array( 'title' => __( 'Site id', 'kassa' ), 'type' => 'text', 'description' => __( 'Only needed when your Kassa account has several sites.', 'kassa' ) ),
			'webhook_secret' => array( 'title' => __( 'Webhook signing secret', 'kassa' ), 'type' => 'password', 'description' => __( 'whsec_... of the Kassa webhook endpoint pointed at ?wc-api=wc_gateway_kassa on this store.', 'kassa' ) ),
		);
	}

	private function client() {
		return new Kassa_Client( $this->get_option( 'api_url' ), $this->get_option( 'secret_key' ) );
	}

	/**
	 * Creates (or reuses) the order's Kassa session and sends the customer there.
	 */
	public function process_payment( $order_id ) {
		$order    = wc_get_order( $order_id );
		$currency = $order->get_currency();
		$amount   = Kassa_Money::to_minor( $order->get_total(), $currency );
		if ( null === $amount || $amount < 1 ) {
			wc_add_notice( __( 'This order\'s total cannot be paid by card.', 'kassa' ), 'error' );
			return array( 'result' => 'failure' );
		}
		$client = $this->client();

		// A second click or a return from the checkout reuses a session still open.
		$existing = $order->get_meta( '_kassa_session_id' );
		if ( $existing ) {
			$session = $client->session( $existing );
			if ( ! is_wp_error( $session ) && 'open' === $session['status'] && $amount === $session['amount'] ) {
				return array( 'result' => 'success', 'redirect' => $session['url'] );
			}
		}

		$tries   = (int) $order->get_meta( '_kassa_tries' ) + 1;
		$request = array(
			'amount'         => $amount,
			'currency'       => $currency,
			'line_items'     => $this->line_items( $order, $amount ),
			'customer_email' => $order->get_billing_email(),
			'order_id'       => (string) $order->get_order_number(),
			'success_url'    => $order->get_checkout_order_received_url(),
			'cancel_url'     => $order->get_cancel_order_url_raw(),
			'woocommerce'    => array(
				'store_url' => home_url( '/' ),
				'order_id'  => (string) $order->get_id(),
				'order_key' => $order->get_order_key(),
			),
		);
		if ( $this->get_option( 'site_id' ) ) {
			$request['site_id'] = $this->get_option( 'site_id' );
		}
		$key     = 'wc-' . $order->get_id() . '-' . $order->get_order_key() . '-' . $tries;
		$session = $client->create_session( $request, $key );
		if ( is_wp_error( $session ) ) {
			wc_add_notice( __( 'The payment page could not be opened. Please try again.', 'kassa' ), 'error' );
			$order->add_order_note( $session->get_error_message() );
			return array( 'result' => 'failure' );
		}
		$order->update_meta_data( '_kassa_session_id', $session['id'] );
		$order->update_meta_data( '_kassa_tries', $tries );
		$order->add_order_note( sprintf( 'Kassa checkout session %s created.', $session['id'] ) );
		$order->save();
		return array( 'result' => 'success', 'redirect' => $session['url'] );
	}

	/**
	 * The order's lines when they add up to the total; else one line for the
	 * whole order (shipping, fees and discounts make the sum differ).
	 */
	private function line_items( $order, $amount ) {
		$currency = $order->get_currency();
		$lines    = array();
		$sum      = 0;
		foreach ( $order->get_items() as $item ) {
			$quantity = max( 1, (int) $item->get_quantity() );
			$total    = Kassa_Money::to_minor( $item->get_total(), $currency );
			if ( null === $total || 0 !== $total % $quantity ) {
				$lines = array();
				break;
			}
			$lines[] = array( 'name' => $item->get_name(), 'quantity' => $quantity, 'unit_amount' => intdiv( $total, $quantity ) );
			$sum    += $total;
		}
		if ( $lines && $sum === $amount ) {
			return $lines;
		}
		/* translators: %s: order number */
		return array( array( 'name' => sprintf( __( 'Order %s', 'kassa' ), $order->get_order_number() ), 'quantity' => 1, 'unit_amount' => $amount ) );
	}

	/**
	 * Kassa's webhook. Refuses anything whose signature does not verify;
	 * then asks Kassa for the session before touching the order.
	 */
	public function handle_webhook() {
		$body    = file_get_contents( 'php://input' );
		$headers = array();
		foreach ( array( 'webhook-id', 'webhook-timestamp', 'webhook-signature' ) as $name ) {
			$server_key       = 'HTTP_' . strtoupper( str_replace( '-', '_', $name ) );
			$headers[ $name ] = isset( $_SERVER[ $server_key ] ) ? wp_unslash( $_SERVER[ $server_key ] ) : '';
		}
		$event = Kassa_Webhook::verify( $this->get_option( 'webhook_secret' ), $headers, $body, time() );
		if ( null === $event ) {
			$this->respond( 401, 'signature does not verify' );
			return;
		}
		$type = isset( $event['type'] ) ? $event['type'] : '';
		$told = isset( $event['data']['session'] ) ? $event['data']['session'] : null;
		if ( ! in_array( $type, self::EVENTS, true ) || empty( $told['woocommerce']['order_id'] ) ) {
			$this->respond( 200, 'ignored' );
			return;
		}
		$order = wc_get_order( (int) $told['woocommerce']['order_id'] );
		if ( ! $order || ! hash_equals( (string) $order->get_order_key(), (string) $told['woocommerce']['order_key'] ) ) {
			$this->respond( 200, 'not an order of this store' );
			return;
		}
		// The webhook says what happened; Kassa's API says where it stands now.
		$session = $this->client()->session( $told['id'] );
		if ( is_wp_error( $session ) ) {
			$this->respond( 503, 'could not confirm with Kassa; retry later' );
			return;
		}
		$this->apply( $order, $session );
		$this->respond( 200, 'ok' );
	}

	/** Moves the order to where the confirmed session stands. */
	private function apply( $order, array $session ) {
		$matches = Kassa_Money::to_minor( $order->get_total(), $order->get_currency() ) === $session['amount']
			&& strtoupper( $order->get_currency() ) === strtoupper( $session['currency'] )
			&& isset( $session['woocommerce']['order_id'] ) && (string) $order->get_id() === $session['woocommerce']['order_id'];
		if ( ! $matches ) {
			$order->add_order_note( sprintf( 'Kassa session %s does not match this order; nothing changed.', $session['id'] ) );
			return;
		}
		if ( ! Kassa_Mode::accepts( $this->get_option( 'secret_key' ), $session ) ) {
			$order->add_order_note( sprintf( 'Kassa session %s was paid in test mode, and this store takes live payments; nothing changed.', $session['id'] ) );
			return;
		}
		if ( $order->is_paid() ) {
			return;
		}
		switch ( $session['outcome'] ) {
			case 'paid':
				$order->payment_complete( $session['id'] );
				$order->add_order_note( sprintf( 'Paid with Kassa (session %s).', $session['id'] ) );
				break;
			case 'reserved':
				$order->update_status( 'on-hold', sprintf( 'Payment authorised in Kassa (session %s); capture it there.', $session['id'] ) );
				break;
			case 'unpaid':
				if ( 'complete' === $session['status'] ) {
					$order->update_status( 'failed', sprintf( 'Kassa session %s failed.', $session['id'] ) );
				}
				break;
		}
	}

	private function respond( $status, $message ) {
		status_header( $status );
		echo esc_html( $message );
	}
}
