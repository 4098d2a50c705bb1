# The customer's pages: the hosted checkout, the widget's frame, the return
# page, receipts and payment links. Every language has every message; a test
# fails when one is missing.

## Page titles
title-pay = Pay { $total } · { $merchant }
title-save-card = Save your card · { $merchant }
title-challenge = Verify your payment
title-receipt = Receipt · { $merchant }
title-link-unavailable = Payment link unavailable
title-return = Payment status
title-paid = Payment complete
title-expired = Checkout expired
title-cancelled = Checkout cancelled
title-failed = Payment failed
title-not-found = Checkout not found
title-server-error = Something went wrong

meta-description = Secure checkout for { $merchant }: pay by card.
meta-description-kassa = Secure checkout by Kassa.

## Unknown sessions and links
not-found-heading = Checkout not found
not-found-text = This payment link is not valid. Check the link you were given, or ask the shop for a new one.
link-unavailable-heading = This payment link is not available
link-unavailable-text = The link may have been switched off or mistyped. Ask the seller for a current link.
cross-site-refused = This form was sent from another website, so nothing was changed. Go back to the checkout page and send it from there.
server-error = Something went wrong on our side, and we have logged it. You have not been charged twice: reload this page in a moment to see where your payment stands.
form-unreadable = This form could not be read, so nothing was changed. Go back to the page, reload it and send the form from there.
server-error-heading = Something went wrong on our side
error-reference = Reference: { $trace }

## The order
order-summary = Order summary
total = Total

## The payment form
pay-heading = Pay with card
pay-button = Pay { $total }
save-card-heading = Save your card
save-card-button = Save card
save-card-hint = Nothing is charged now: the card is checked and kept for your later payments to this shop.
processing = Processing…
field-email = Email
field-card-number = Card number
field-expiry = Expiry (MM / YY)
field-cvc = Security code (CVC)
card-brand-unknown = Card
fields-need-attention = { $count ->
    [one] 1 field needs your attention.
   *[other] { $count } fields need your attention.
}
expires-in = Expires in { $time }
checkout-has-expired = This checkout has expired.
cancel-link = Cancel and return to the shop
cancel-button = Cancel payment
secure-note = Payments are processed securely. Kassa never stores your card number or security code.

## What is wrong with a field
problem-email_missing = Enter your email address.
problem-email_invalid = Enter a valid email address, like name@example.com.
problem-number_incomplete = Your card number is incomplete.
problem-number_invalid = Your card number is invalid. Check it and try again.
problem-expiry_incomplete = Enter the expiry date as MM / YY.
problem-expiry_month_invalid = The expiry month must be between 01 and 12.
problem-expiry_past = Your card's expiry date is in the past.
problem-cvc_incomplete = Your card's security code is incomplete.

## Why a payment was not taken
decline-heading = Your payment did not go through.
decline-card_declined = Your card was declined. Try another card.
decline-insufficient_funds = Your card has insufficient funds. Try another card.
decline-expired_card = Your card has expired. Try another card.
decline-incorrect_cvc = Your card's security code is incorrect. Check it and try again.
decline-processing_error = An error occurred while processing your card. Try again in a moment.
decline-authentication_failed = Your bank could not verify this payment. Try again or use another card.
decline-payment_failed = Your bank did not approve the payment. Try again or use another card.
decline-generic = The payment was not approved. Try again or use another card.
decline-too_many_attempts = This checkout is closed after too many declined payments. Contact the shop to pay another way.
decline-too_many_failures = Too many payments were declined lately. Wait a while before you try again.

## 3-D Secure
challenge-heading = Verify your payment
challenge-text = Your bank asks you to confirm this payment of { $total } with { $card }.
challenge-hint = This is the sandbox bank: choose what the bank should answer.
challenge-approve = Complete authentication
challenge-fail = Fail authentication

## A session that takes no more payments
closed-paid-heading = This order is already paid
closed-paid-text = Nothing more to do: the payment for this checkout has been received.
closed-expired-heading = This checkout has expired
closed-expired-text = The time to pay has run out and no payment was taken. Return to the shop to start again.
closed-cancelled-heading = This checkout was cancelled
closed-cancelled-text = No payment was taken. Return to the shop if you still want to order.
closed-failed-heading = The payment failed
return-to-shop = Return to the shop

## After paying
return-pending-heading = Confirming your payment…
return-pending-text = Your bank is still processing the payment. This page updates by itself; please keep it open.
return-paid-heading = Payment successful
return-paid-text = Thank you. Your payment has been received.
return-saved-heading = Card saved
return-saved-text = Nothing was charged. Your card is kept for your later payments to this shop.
return-taking-back = Taking you back to the shop…
return-failed-heading = Your payment did not go through
try-again = Try again

## Receipts
receipt-heading = Receipt
receipt-status = Status:
receipt-paid-with = Paid with { $card } on { $date }.
receipt-refunded = Refunded { $amount } on { $date }
receipt-reference = Reference: { $reference }
receipt-card-saved = { $card } is saved for later payments to this shop.
receipt-remove-card = Remove this card
receipt-card-removed = { $card } was removed on { $date }: it will not be charged again.
state-Created = Created
state-Pending = Pending
state-Processing = Processing
state-RequiresAction = Requires action
state-Paid = Paid
state-Authorized = Authorized
state-Failed = Failed
state-Expired = Expired
state-Cancelled = Cancelled
state-PartiallyRefunded = Partially refunded
state-Refunded = Refunded

## Payment links
link-price = Price
link-amount = Amount ({ $currency })
link-range = Between { $min } and { $max }
link-quantity = Quantity
link-continue = Continue to payment
link-error-range = Choose an amount between { $min } and { $max }.
link-error-amount = Enter an amount like { $example }.
link-error-no-price = This link has no price.
link-error-too-many = Too many checkouts were started from your network. Try again in an hour.
link-error-quantity = Choose a quantity from 1 to { $max }.

## The receipt email
email-subject = Your receipt from { $merchant }: { $total }
email-thanks = Thank you for your payment to { $merchant }.
email-total-paid = Total paid
email-receipt-link = Your receipt and the payment's status: { $link }

## Dates
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The widget on the merchant's page (public/widget.js)
widget-unavailable = The checkout cannot be shown on this page.
widget-open = Open the secure checkout
widget-frame-title = Checkout
widget-buy = Buy now
widget-close = Close

## A card form from the payment processor (Stripe), in live mode
field-card = Card
card-needs-js = This card form comes from our payment processor, Stripe, and needs JavaScript: your card details go straight to them, never through this page. Turn JavaScript on to pay, or return to the shop.
card-form-unavailable = The card form could not be loaded. Check your connection and reload the page.
processor-challenge-hint = Your bank's check opens over this page. If nothing opens, press the button.
processor-challenge-start = Verify with my bank
