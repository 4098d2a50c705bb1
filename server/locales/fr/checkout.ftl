## Page titles
title-pay = Payer { $total } · { $merchant }
title-save-card = Enregistrez votre carte · { $merchant }
title-challenge = Vérifiez votre paiement
title-receipt = Reçu · { $merchant }
title-link-unavailable = Lien de paiement indisponible
title-return = État du paiement
title-paid = Paiement effectué
title-expired = Paiement expiré
title-cancelled = Paiement annulé
title-failed = Échec du paiement
title-not-found = Paiement introuvable
title-server-error = Une erreur s’est produite

meta-description = Paiement sécurisé pour { $merchant } : payez par carte.
meta-description-kassa = Paiement sécurisé avec Kassa.

## Unknown sessions and links
not-found-heading = Paiement introuvable
not-found-text = Ce lien de paiement n’est pas valide. Vérifiez le lien reçu ou demandez-en un nouveau à la boutique.
link-unavailable-heading = Ce lien de paiement n’est pas disponible
link-unavailable-text = Le lien a peut-être été désactivé ou mal saisi. Demandez un lien à jour au vendeur.
cross-site-refused = Ce formulaire a été envoyé depuis un autre site, rien n’a donc été modifié. Revenez à la page de paiement et envoyez-le depuis celle-ci.
server-error = Une erreur s’est produite de notre côté et nous l’avons enregistrée. Vous n’avez pas été débité deux fois : rechargez cette page dans un instant pour voir où en est votre paiement.
form-unreadable = Ce formulaire n’a pas pu être lu, rien n’a donc été modifié. Revenez à la page, rechargez-la et envoyez le formulaire depuis celle-ci.
server-error-heading = Une erreur s’est produite de notre côté
error-reference = Référence : { $trace }

## The order
order-summary = Récapitulatif de la commande
total = Total

## The payment form
pay-heading = Payer par carte
pay-button = Payer { $total }
save-card-heading = Enregistrez votre carte
save-card-button = Enregistrer la carte
save-card-hint = Rien n’est débité maintenant : la carte est vérifiée et gardée pour vos prochains paiements à cette boutique.
processing = Traitement en cours…
field-email = E-mail
field-card-number = Numéro de carte
field-expiry = Date d’expiration (MM / AA)
field-cvc = Code de sécurité (CVC)
card-brand-unknown = Carte
fields-need-attention = { $count ->
    [one] { $count } champ doit être corrigé.
   *[other] { $count } champs doivent être corrigés.
}
expires-in = Expire dans { $time }
checkout-has-expired = Ce paiement a expiré.
cancel-link = Annuler et revenir à la boutique
cancel-button = Annuler le paiement
secure-note = Les paiements sont traités de manière sécurisée. Kassa ne conserve jamais votre numéro de carte ni votre code de sécurité.

## What is wrong with a field
problem-email_missing = Saisissez votre adresse e-mail.
problem-email_invalid = Saisissez une adresse e-mail valide, par exemple nom@example.com.
problem-number_incomplete = Votre numéro de carte est incomplet.
problem-number_invalid = Votre numéro de carte n’est pas valide. Vérifiez-le et réessayez.
problem-expiry_incomplete = Saisissez la date d’expiration au format MM / AA.
problem-expiry_month_invalid = Le mois d’expiration doit être compris entre 01 et 12.
problem-expiry_past = La date d’expiration de votre carte est passée.
problem-cvc_incomplete = Le code de sécurité de votre carte est incomplet.

## Why a payment was not taken
decline-heading = Votre paiement n’a pas abouti.
decline-card_declined = Votre carte a été refusée. Essayez une autre carte.
decline-insufficient_funds = Le solde de votre carte est insuffisant. Essayez une autre carte.
decline-expired_card = Votre carte a expiré. Essayez une autre carte.
decline-incorrect_cvc = Le code de sécurité de votre carte est incorrect. Vérifiez-le et réessayez.
decline-processing_error = Une erreur s’est produite lors du traitement de votre carte. Réessayez dans un instant.
decline-authentication_failed = Votre banque n’a pas pu vérifier ce paiement. Réessayez ou utilisez une autre carte.
decline-payment_failed = Votre banque n’a pas approuvé le paiement. Réessayez ou utilisez une autre carte.
decline-generic = Le paiement n’a pas été approuvé. Réessayez ou utilisez une autre carte.
decline-too_many_attempts = Ce paiement est fermé après trop de paiements refusés. Contactez la boutique pour payer autrement.
decline-too_many_failures = Trop de paiements ont été refusés récemment. Patientez un moment avant de réessayer.

## 3-D Secure
challenge-heading = Vérifiez votre paiement
challenge-text = Votre banque vous demande de confirmer ce paiement de { $total } avec { $card }.
challenge-hint = Ceci est la banque de test : choisissez la réponse de la banque.
challenge-approve = Valider l’authentification
challenge-fail = Faire échouer l’authentification

## A session that takes no more payments
closed-paid-heading = Cette commande est déjà payée
closed-paid-text = Plus rien à faire : le paiement de cette commande a bien été reçu.
closed-expired-heading = Ce paiement a expiré
closed-expired-text = Le délai de paiement est écoulé et aucun paiement n’a été effectué. Revenez à la boutique pour recommencer.
closed-cancelled-heading = Ce paiement a été annulé
closed-cancelled-text = Aucun paiement n’a été effectué. Revenez à la boutique si vous souhaitez toujours commander.
closed-failed-heading = Le paiement a échoué
return-to-shop = Revenir à la boutique

## After paying
return-pending-heading = Confirmation de votre paiement…
return-pending-text = Votre banque traite encore le paiement. Cette page se met à jour toute seule ; merci de la laisser ouverte.
return-paid-heading = Paiement réussi
return-paid-text = Merci. Votre paiement a bien été reçu.
return-saved-heading = Carte enregistrée
return-saved-text = Rien n’a été débité. Votre carte est gardée pour vos prochains paiements à cette boutique.
return-taking-back = Retour à la boutique…
return-failed-heading = Votre paiement n’a pas abouti
try-again = Réessayer

## Receipts
receipt-heading = Reçu
receipt-status = État :
receipt-paid-with = Payé avec { $card } le { $date }.
receipt-refunded = { $amount } remboursé le { $date }
receipt-reference = Référence : { $reference }
receipt-card-saved = { $card } est enregistrée pour de prochains paiements à cette boutique.
receipt-remove-card = Supprimer cette carte
receipt-card-removed = { $card } a été supprimée le { $date } : elle ne sera plus débitée.
state-Created = Créé
state-Pending = En attente
state-Processing = En cours de traitement
state-RequiresAction = Action requise
state-Paid = Payé
state-Authorized = Autorisé
state-Failed = Échoué
state-Expired = Expiré
state-Cancelled = Annulé
state-PartiallyRefunded = Partiellement remboursé
state-Refunded = Remboursé

## Payment links
link-price = Prix
link-amount = Montant ({ $currency })
link-range = Entre { $min } et { $max }
link-quantity = Quantité
link-continue = Continuer vers le paiement
link-error-range = Choisissez un montant entre { $min } et { $max }.
link-error-amount = Saisissez un montant comme { $example }.
link-error-no-price = Ce lien n’a pas de prix.
link-error-too-many = Trop de paiements ont été commencés depuis votre réseau. Réessayez dans une heure.
link-error-quantity = Choisissez une quantité de 1 à { $max }.

## The receipt email
email-subject = Votre reçu de { $merchant } : { $total }
email-thanks = Merci pour votre paiement à { $merchant }.
email-total-paid = Total payé
email-receipt-link = Votre reçu et l’état du paiement : { $link }

## Dates
date = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## The widget on the merchant's page (public/widget.js)
widget-unavailable = Le paiement ne peut pas s’afficher sur cette page.
widget-open = Ouvrir le paiement sécurisé
widget-frame-title = Paiement
widget-buy = Acheter
widget-close = Fermer

## A card form from the payment processor (Stripe), in live mode
field-card = Carte
card-needs-js = Ce formulaire de carte vient de notre prestataire de paiement, Stripe, et nécessite JavaScript : les données de votre carte vont directement chez Stripe, jamais par cette page. Activez JavaScript pour payer, ou retournez à la boutique.
card-form-unavailable = Le formulaire de carte n'a pas pu être chargé. Vérifiez votre connexion et rechargez la page.
processor-challenge-hint = La vérification de votre banque s'ouvre par-dessus cette page. Si rien ne s'ouvre, appuyez sur le bouton.
processor-challenge-start = Vérifier auprès de ma banque
