## Page titles
title-pay = { $total } an { $merchant } zahlen
title-save-card = Karte speichern · { $merchant }
title-challenge = Zahlung bestätigen
title-receipt = Beleg · { $merchant }
title-link-unavailable = Zahlungslink nicht verfügbar
title-return = Zahlungsstatus
title-paid = Zahlung abgeschlossen
title-expired = Bezahlvorgang abgelaufen
title-cancelled = Bezahlvorgang abgebrochen
title-failed = Zahlung fehlgeschlagen
title-not-found = Bezahlvorgang nicht gefunden
title-server-error = Etwas ist schiefgelaufen

meta-description = Sicherer Bezahlvorgang für { $merchant }: mit Karte bezahlen.
meta-description-kassa = Sicherer Bezahlvorgang mit Kassa.

## Unknown sessions and links
not-found-heading = Bezahlvorgang nicht gefunden
not-found-text = Dieser Zahlungslink ist ungültig. Prüfen Sie den Link, den Sie erhalten haben, oder bitten Sie den Shop um einen neuen.
link-unavailable-heading = Dieser Zahlungslink ist nicht verfügbar
link-unavailable-text = Der Link wurde möglicherweise deaktiviert oder falsch eingegeben. Bitten Sie den Verkäufer um einen aktuellen Link.
cross-site-refused = Dieses Formular wurde von einer anderen Website gesendet, daher wurde nichts geändert. Kehren Sie zur Bezahlseite zurück und senden Sie es dort ab.
server-error = Bei uns ist etwas schiefgelaufen; wir haben es protokolliert. Sie wurden nicht doppelt belastet: Laden Sie die Seite gleich neu, um den Stand Ihrer Zahlung zu sehen.
form-unreadable = Dieses Formular konnte nicht gelesen werden, daher wurde nichts geändert. Kehren Sie zur Seite zurück, laden Sie sie neu und senden Sie das Formular dort ab.
server-error-heading = Bei uns ist etwas schiefgelaufen
error-reference = Referenz: { $trace }

## The order
order-summary = Bestellübersicht
total = Gesamt

## The payment form
pay-heading = Mit Karte zahlen
pay-button = { $total } zahlen
save-card-heading = Karte speichern
save-card-button = Karte speichern
save-card-hint = Jetzt wird nichts abgebucht: Die Karte wird geprüft und für spätere Zahlungen an diesen Shop gespeichert.
processing = Wird verarbeitet…
field-email = E-Mail
field-card-number = Kartennummer
field-expiry = Gültig bis (MM / JJ)
field-cvc = Sicherheitscode (CVC)
card-brand-unknown = Karte
fields-need-attention = { $count ->
    [one] 1 Feld muss korrigiert werden.
   *[other] { $count } Felder müssen korrigiert werden.
}
expires-in = Läuft ab in { $time }
checkout-has-expired = Dieser Bezahlvorgang ist abgelaufen.
cancel-link = Abbrechen und zum Shop zurückkehren
cancel-button = Zahlung abbrechen
secure-note = Zahlungen werden sicher verarbeitet. Kassa speichert weder Ihre Kartennummer noch Ihren Sicherheitscode.

## What is wrong with a field
problem-email_missing = Geben Sie Ihre E-Mail-Adresse ein.
problem-email_invalid = Geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.
problem-number_incomplete = Ihre Kartennummer ist unvollständig.
problem-number_invalid = Ihre Kartennummer ist ungültig. Prüfen Sie sie und versuchen Sie es erneut.
problem-expiry_incomplete = Geben Sie das Ablaufdatum als MM / JJ ein.
problem-expiry_month_invalid = Der Monat muss zwischen 01 und 12 liegen.
problem-expiry_past = Das Ablaufdatum Ihrer Karte liegt in der Vergangenheit.
problem-cvc_incomplete = Der Sicherheitscode Ihrer Karte ist unvollständig.

## Why a payment was not taken
decline-heading = Ihre Zahlung wurde nicht ausgeführt.
decline-card_declined = Ihre Karte wurde abgelehnt. Versuchen Sie es mit einer anderen Karte.
decline-insufficient_funds = Ihre Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte.
decline-expired_card = Ihre Karte ist abgelaufen. Versuchen Sie es mit einer anderen Karte.
decline-incorrect_cvc = Der Sicherheitscode Ihrer Karte ist falsch. Prüfen Sie ihn und versuchen Sie es erneut.
decline-processing_error = Bei der Verarbeitung Ihrer Karte ist ein Fehler aufgetreten. Versuchen Sie es gleich noch einmal.
decline-authentication_failed = Ihre Bank konnte diese Zahlung nicht bestätigen. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.
decline-payment_failed = Ihre Bank hat die Zahlung nicht genehmigt. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.
decline-generic = Die Zahlung wurde nicht genehmigt. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.
decline-too_many_attempts = Dieser Bezahlvorgang wurde nach zu vielen abgelehnten Zahlungen geschlossen. Wenden Sie sich an den Shop, um anders zu bezahlen.
decline-too_many_failures = Zuletzt wurden zu viele Zahlungen abgelehnt. Warten Sie eine Weile, bevor Sie es erneut versuchen.

## 3-D Secure
challenge-heading = Zahlung bestätigen
challenge-text = Ihre Bank bittet Sie, diese Zahlung über { $total } mit { $card } zu bestätigen.
challenge-hint = Dies ist die Sandbox-Bank: Wählen Sie, was die Bank antworten soll.
challenge-approve = Authentifizierung abschließen
challenge-fail = Authentifizierung fehlschlagen lassen

## A session that takes no more payments
closed-paid-heading = Diese Bestellung ist bereits bezahlt
closed-paid-text = Es ist nichts mehr zu tun: Die Zahlung für diesen Bezahlvorgang ist eingegangen.
closed-expired-heading = Dieser Bezahlvorgang ist abgelaufen
closed-expired-text = Die Zeit zum Bezahlen ist abgelaufen, es wurde nichts abgebucht. Kehren Sie zum Shop zurück, um neu zu beginnen.
closed-cancelled-heading = Dieser Bezahlvorgang wurde abgebrochen
closed-cancelled-text = Es wurde nichts abgebucht. Kehren Sie zum Shop zurück, wenn Sie noch bestellen möchten.
closed-failed-heading = Die Zahlung ist fehlgeschlagen
return-to-shop = Zurück zum Shop

## After paying
return-pending-heading = Ihre Zahlung wird bestätigt…
return-pending-text = Ihre Bank verarbeitet die Zahlung noch. Diese Seite aktualisiert sich selbst; bitte lassen Sie sie geöffnet.
return-paid-heading = Zahlung erfolgreich
return-paid-text = Vielen Dank. Ihre Zahlung ist eingegangen.
return-saved-heading = Karte gespeichert
return-saved-text = Es wurde nichts abgebucht. Ihre Karte ist für spätere Zahlungen an diesen Shop gespeichert.
return-taking-back = Sie werden zum Shop zurückgeleitet…
return-failed-heading = Ihre Zahlung wurde nicht ausgeführt
try-again = Erneut versuchen

## Receipts
receipt-heading = Beleg
receipt-status = Status:
receipt-paid-with = Bezahlt mit { $card } am { $date }.
receipt-refunded = { $amount } erstattet am { $date }
receipt-reference = Referenz: { $reference }
receipt-card-saved = { $card } ist für spätere Zahlungen an diesen Shop gespeichert.
receipt-remove-card = Diese Karte entfernen
receipt-card-removed = { $card } wurde am { $date } entfernt und wird nicht mehr belastet.
state-Created = Erstellt
state-Pending = Ausstehend
state-Processing = In Bearbeitung
state-RequiresAction = Aktion erforderlich
state-Paid = Bezahlt
state-Authorized = Autorisiert
state-Failed = Fehlgeschlagen
state-Expired = Abgelaufen
state-Cancelled = Abgebrochen
state-PartiallyRefunded = Teilweise erstattet
state-Refunded = Erstattet

## Payment links
link-price = Preis
link-amount = Betrag ({ $currency })
link-range = Zwischen { $min } und { $max }
link-quantity = Menge
link-continue = Weiter zur Zahlung
link-error-range = Wählen Sie einen Betrag zwischen { $min } und { $max }.
link-error-amount = Geben Sie einen Betrag wie { $example } ein.
link-error-no-price = Dieser Link hat keinen Preis.
link-error-too-many = Von Ihrem Netzwerk aus wurden zu viele Bezahlvorgänge gestartet. Versuchen Sie es in einer Stunde erneut.
link-error-quantity = Wählen Sie eine Menge von 1 bis { $max }.

## The receipt email
email-subject = Ihr Beleg von { $merchant }: { $total }
email-thanks = Vielen Dank für Ihre Zahlung an { $merchant }.
email-total-paid = Bezahlt insgesamt
email-receipt-link = Ihr Beleg und der Stand der Zahlung: { $link }

## Dates
date = { $day }. { $month } { $year }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

## The widget on the merchant's page (public/widget.js)
widget-unavailable = Der Bezahlvorgang kann auf dieser Seite nicht angezeigt werden.
widget-open = Sicheren Bezahlvorgang öffnen
widget-frame-title = Bezahlen
widget-buy = Jetzt kaufen
widget-close = Schließen

## A card form from the payment processor (Stripe), in live mode
field-card = Karte
card-needs-js = Dieses Kartenformular stammt von unserem Zahlungsdienstleister Stripe und benötigt JavaScript: Ihre Kartendaten gehen direkt an Stripe, nie über diese Seite. Aktivieren Sie JavaScript, um zu bezahlen, oder kehren Sie zum Shop zurück.
card-form-unavailable = Das Kartenformular konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und laden Sie die Seite neu.
processor-challenge-hint = Die Prüfung Ihrer Bank öffnet sich über dieser Seite. Falls sich nichts öffnet, drücken Sie die Schaltfläche.
processor-challenge-start = Bei meiner Bank bestätigen
