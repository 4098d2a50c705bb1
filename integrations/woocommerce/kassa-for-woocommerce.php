<?php
/**
 * Plugin Name:       Kassa for WooCommerce
 * Description:       Take card payments on Kassa's hosted checkout; orders are marked paid by Kassa's signed webhooks.
 * Version:           0.1.0
 * Requires PHP:      7.4
 * Requires Plugins:  woocommerce
 * License:           MIT
 * Text Domain:       kassa
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'plugins_loaded',
	function () {
		if ( ! class_exists( 'WC_Payment_Gateway' ) ) {
			return;
		}
		require_once __DIR__ . '/includes/class-kassa-money.php';
		require_once __DIR__ . '/includes/class-kassa-mode.php';
		require_once __DIR__ . '/includes/class-kassa-webhook.php';
		require_once __DIR__ . '/includes/class-kassa-client.php';
		require_once __DIR__ . '/includes/class-wc-gateway-kassa.php';
		add_filter(
			'woocommerce_payment_gateways',
			function ( $gateways ) {
				$gateways[] = 'WC_Gateway_Kassa';
				return $gateways;
			}
		);
	}
);
