<?php
/**
 * Kassa's merchant API, through WordPress's HTTP functions.
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

final class Kassa_Client {
	private $api_url;
	private $secret_key;

	public function __construct( $api_url, $secret_key ) {
		$this->api_url    = rtrim( (string) $api_url, '/' );
		$this->secret_key = (string) $secret_key;
	}

	/**
	 * Creates a checkout session. The idempotency key makes a retried
	 * request (a double click, a timeout) return the same session.
	 *
	 * @return array|WP_Error The session.
	 */
	public function create_session( array $session, $idempotency_key ) {
		return $this->request( 'POST', '/v1/checkout/sessions', $session, array( 'Idempotency-Key' => $idempotency_key ) );
	}

	/** @return array|WP_Error The session as Kassa stores it now. */
	public function session( $id ) {
		return $this->request( 'GET', '/v1/checkout/sessions/' . rawurlencode( $id ), null, array() );
	}

	private function request( $method, $path, $body, array $headers ) {
		$args     = array(
			'method'  => $method,
			'timeout' => 15,
			'headers' => array_merge(
				array(
					'Authorization' => 'Bearer ' . $this->secret_key,
					'Content-Type'  => 'application/json',
				),
				$headers
			),
		);
		if ( null !== $body ) {
			$args['body'] = wp_json_encode( $body );
		}
		$response = wp_remote_request( $this->api_url . $path, $args );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$code    = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( wp_remote_retrieve_body( $response ), true );
		if ( $code < 200 || $code > 299 || ! is_array( $decoded ) ) {
			$message = isset( $decoded['error']['message'] ) ? $decoded['error']['message'] : 'HTTP ' . $code;
			return new WP_Error( 'kassa_api', 'Kassa: ' . $message );
		}
		return $decoded;
	}
}
