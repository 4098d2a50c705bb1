<?php
/**
 * WooCommerce keeps amounts as decimal strings; Kassa takes integers in the
 * currency's minor unit. The conversion is done on the digits, never through
 * floating point.
 *
 * @package Kassa
 */

defined( 'ABSPATH' ) || exit;

final class Kassa_Money {
	/** ISO 4217 currencies whose minor unit is not the cent. */
	const EXPONENTS = array(
		'BIF' => 0, 'CLP' => 0, 'DJF' => 0, 'GNF' => 0, 'ISK' => 0, 'JPY' => 0, 'KMF' => 0, 'KRW' => 0,
		'PYG' => 0, 'RWF' => 0, 'UGX' => 0, 'UYI' => 0, 'VND' => 0, 'VUV' => 0, 'XAF' => 0, 'XOF' => 0,
		'XPF' => 0, 'BHD' => 3, 'IQD' => 3, 'JOD' => 3, 'KWD' => 3, 'LYD' => 3, 'OMR' => 3, 'TND' => 3,
	);

	public static function exponent( $currency ) {
		$currency = strtoupper( (string) $currency );
		return isset( self::EXPONENTS[ $currency ] ) ? self::EXPONENTS[ $currency ] : 2;
	}

	/**
	 * `"25.5"` in EUR → 2550; null for anything that is not a plain
	 * non-negative decimal with no more digits than the currency has.
	 */
	public static function to_minor( $amount, $currency ) {
		$amount   = trim( (string) $amount );
		$exponent = self::exponent( $currency );
		if ( ! preg_match( '/^(\d+)(?:\.(\d*))?$/', $amount, $m ) ) {
			return null;
		}
		$fraction = isset( $m[2] ) ? rtrim( $m[2], '0' ) : '';
		if ( strlen( $fraction ) > $exponent ) {
			return null;
		}
		$digits = ltrim( $m[1] . str_pad( $fraction, $exponent, '0' ), '0' );
		return '' === $digits ? 0 : (int) $digits;
	}
}
