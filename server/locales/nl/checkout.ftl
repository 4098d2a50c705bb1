## Page titles
title-pay = { $total } betalen · { $merchant }
title-save-card = Bewaar je kaart · { $merchant }
title-challenge = Bevestig je betaling
title-receipt = Bon · { $merchant }
title-link-unavailable = Betaallink niet beschikbaar
title-return = Betaalstatus
title-paid = Betaling voltooid
title-expired = Betaling verlopen
title-cancelled = Betaling geannuleerd
title-failed = Betaling mislukt
title-not-found = Betaling niet gevonden
title-server-error = Er ging iets mis

meta-description = Veilig betalen bij { $merchant }: betaal met je kaart.
meta-description-kassa = Veilig betalen met Kassa.

## Unknown sessions and links
not-found-heading = Betaling niet gevonden
not-found-text = Deze betaallink is niet geldig. Controleer de link die je hebt gekregen of vraag de winkel om een nieuwe.
link-unavailable-heading = Deze betaallink is niet beschikbaar
link-unavailable-text = De link is misschien uitgeschakeld of verkeerd overgenomen. Vraag de verkoper om een actuele link.
cross-site-refused = Dit formulier is vanaf een andere website verstuurd, dus er is niets gewijzigd. Ga terug naar de betaalpagina en verstuur het daar.
server-error = Er ging bij ons iets mis; we hebben het vastgelegd. Er is niet dubbel afgeschreven: laad deze pagina zo opnieuw om te zien hoe het met je betaling staat.
form-unreadable = Dit formulier kon niet worden gelezen, dus er is niets gewijzigd. Ga terug naar de pagina, laad haar opnieuw en verstuur het formulier daar.
server-error-heading = Er ging bij ons iets mis
error-reference = Referentie: { $trace }

## The order
order-summary = Besteloverzicht
total = Totaal

## The payment form
pay-heading = Betalen met kaart
pay-button = { $total } betalen
save-card-heading = Bewaar je kaart
save-card-button = Kaart bewaren
save-card-hint = Er wordt nu niets afgeschreven: de kaart wordt gecontroleerd en bewaard voor je volgende betalingen aan deze winkel.
processing = Bezig met verwerken…
field-email = E-mailadres
field-card-number = Kaartnummer
field-expiry = Vervaldatum (MM / JJ)
field-cvc = Beveiligingscode (CVC)
card-brand-unknown = Kaart
fields-need-attention = { $count ->
    [one] 1 veld vraagt je aandacht.
   *[other] { $count } velden vragen je aandacht.
}
expires-in = Verloopt over { $time }
checkout-has-expired = Deze betaling is verlopen.
cancel-link = Annuleren en terug naar de winkel
cancel-button = Betaling annuleren
secure-note = Betalingen worden veilig verwerkt. Kassa bewaart nooit je kaartnummer of beveiligingscode.

## What is wrong with a field
problem-email_missing = Vul je e-mailadres in.
problem-email_invalid = Vul een geldig e-mailadres in, zoals naam@example.com.
problem-number_incomplete = Je kaartnummer is onvolledig.
problem-number_invalid = Je kaartnummer is ongeldig. Controleer het en probeer het opnieuw.
problem-expiry_incomplete = Vul de vervaldatum in als MM / JJ.
problem-expiry_month_invalid = De vervalmaand moet tussen 01 en 12 liggen.
problem-expiry_past = De vervaldatum van je kaart ligt in het verleden.
problem-cvc_incomplete = De beveiligingscode van je kaart is onvolledig.

## Why a payment was not taken
decline-heading = Je betaling is niet gelukt.
decline-card_declined = Je kaart is geweigerd. Probeer een andere kaart.
decline-insufficient_funds = Er staat niet genoeg saldo op je kaart. Probeer een andere kaart.
decline-expired_card = Je kaart is verlopen. Probeer een andere kaart.
decline-incorrect_cvc = De beveiligingscode van je kaart klopt niet. Controleer hem en probeer het opnieuw.
decline-processing_error = Er ging iets mis bij het verwerken van je kaart. Probeer het zo opnieuw.
decline-authentication_failed = Je bank kon deze betaling niet verifiëren. Probeer het opnieuw of gebruik een andere kaart.
decline-payment_failed = Je bank heeft de betaling niet goedgekeurd. Probeer het opnieuw of gebruik een andere kaart.
decline-generic = De betaling is niet goedgekeurd. Probeer het opnieuw of gebruik een andere kaart.
decline-too_many_attempts = Deze betaling is gesloten na te veel geweigerde betalingen. Neem contact op met de winkel om op een andere manier te betalen.
decline-too_many_failures = Er zijn de laatste tijd te veel betalingen geweigerd. Wacht even voordat je het opnieuw probeert.

## 3-D Secure
challenge-heading = Bevestig je betaling
challenge-text = Je bank vraagt je deze betaling van { $total } met { $card } te bevestigen.
challenge-hint = Dit is de testbank: kies wat de bank moet antwoorden.
challenge-approve = Verificatie voltooien
challenge-fail = Verificatie laten mislukken

## A session that takes no more payments
closed-paid-heading = Deze bestelling is al betaald
closed-paid-text = Je hoeft niets meer te doen: de betaling voor deze bestelling is ontvangen.
closed-expired-heading = Deze betaling is verlopen
closed-expired-text = De tijd om te betalen is voorbij en er is niets afgeschreven. Ga terug naar de winkel om opnieuw te beginnen.
closed-cancelled-heading = Deze betaling is geannuleerd
closed-cancelled-text = Er is niets afgeschreven. Ga terug naar de winkel als je nog wilt bestellen.
closed-failed-heading = De betaling is mislukt
return-to-shop = Terug naar de winkel

## After paying
return-pending-heading = Je betaling wordt bevestigd…
return-pending-text = Je bank verwerkt de betaling nog. Deze pagina werkt zichzelf bij; laat hem openstaan.
return-paid-heading = Betaling gelukt
return-paid-text = Bedankt. Je betaling is ontvangen.
return-saved-heading = Kaart bewaard
return-saved-text = Er is niets afgeschreven. Je kaart is bewaard voor je volgende betalingen aan deze winkel.
return-taking-back = We brengen je terug naar de winkel…
return-failed-heading = Je betaling is niet gelukt
try-again = Opnieuw proberen

## Receipts
receipt-heading = Bon
receipt-status = Status:
receipt-paid-with = Betaald met { $card } op { $date }.
receipt-refunded = { $amount } terugbetaald op { $date }
receipt-reference = Referentie: { $reference }
receipt-card-saved = { $card } is bewaard voor latere betalingen aan deze winkel.
receipt-remove-card = Deze kaart verwijderen
receipt-card-removed = { $card } is op { $date } verwijderd: er wordt niets meer van afgeschreven.
state-Created = Aangemaakt
state-Pending = In afwachting
state-Processing = Wordt verwerkt
state-RequiresAction = Actie vereist
state-Paid = Betaald
state-Authorized = Geautoriseerd
state-Failed = Mislukt
state-Expired = Verlopen
state-Cancelled = Geannuleerd
state-PartiallyRefunded = Gedeeltelijk terugbetaald
state-Refunded = Terugbetaald

## Payment links
link-price = Prijs
link-amount = Bedrag ({ $currency })
link-range = Tussen { $min } en { $max }
link-quantity = Aantal
link-continue = Verder naar betalen
link-error-range = Kies een bedrag tussen { $min } en { $max }.
link-error-amount = Vul een bedrag in zoals { $example }.
link-error-no-price = Deze link heeft geen prijs.
link-error-too-many = Er zijn te veel betalingen gestart vanaf je netwerk. Probeer het over een uur opnieuw.
link-error-quantity = Kies een aantal van 1 tot { $max }.

## The receipt email
email-subject = Je bon van { $merchant }: { $total }
email-thanks = Bedankt voor je betaling aan { $merchant }.
email-total-paid = Totaal betaald
email-receipt-link = Je bon en de status van de betaling: { $link }

## Dates
date = { $day } { $month } { $year }
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

## The widget on the merchant's page (public/widget.js)
widget-unavailable = De betaalpagina kan hier niet worden getoond.
widget-open = Open de beveiligde betaalpagina
widget-frame-title = Betalen
widget-buy = Nu kopen
widget-close = Sluiten

## A card form from the payment processor (Stripe), in live mode
field-card = Kaart
card-needs-js = Dit kaartformulier komt van onze betaalverwerker, Stripe, en heeft JavaScript nodig: uw kaartgegevens gaan rechtstreeks naar Stripe, nooit via deze pagina. Zet JavaScript aan om te betalen, of ga terug naar de winkel.
card-form-unavailable = Het kaartformulier kon niet worden geladen. Controleer uw verbinding en laad de pagina opnieuw.
processor-challenge-hint = De controle van uw bank opent over deze pagina. Opent er niets, druk dan op de knop.
processor-challenge-start = Bevestigen bij mijn bank
