## Page titles
title-pay = Pagar { $total } · { $merchant }
title-save-card = Guarda tu tarjeta · { $merchant }
title-challenge = Verifica tu pago
title-receipt = Recibo · { $merchant }
title-link-unavailable = Enlace de pago no disponible
title-return = Estado del pago
title-paid = Pago completado
title-expired = Pago caducado
title-cancelled = Pago cancelado
title-failed = Pago fallido
title-not-found = Pago no encontrado
title-server-error = Algo ha fallado

meta-description = Pago seguro para { $merchant }: paga con tarjeta.
meta-description-kassa = Pago seguro con Kassa.

## Unknown sessions and links
not-found-heading = Pago no encontrado
not-found-text = Este enlace de pago no es válido. Comprueba el enlace que recibiste o pide uno nuevo a la tienda.
link-unavailable-heading = Este enlace de pago no está disponible
link-unavailable-text = Es posible que el enlace se haya desactivado o esté mal escrito. Pide al vendedor un enlace actualizado.
cross-site-refused = Este formulario se envió desde otro sitio web, así que no se ha cambiado nada. Vuelve a la página de pago y envíalo desde allí.
server-error = Algo ha fallado por nuestra parte y lo hemos registrado. No se te ha cobrado dos veces: vuelve a cargar esta página en un momento para ver el estado de tu pago.
form-unreadable = No se ha podido leer este formulario, así que no se ha cambiado nada. Vuelve a la página, recárgala y envía el formulario desde allí.
server-error-heading = Algo ha fallado por nuestra parte
error-reference = Referencia: { $trace }

## The order
order-summary = Resumen del pedido
total = Total

## The payment form
pay-heading = Pagar con tarjeta
pay-button = Pagar { $total }
save-card-heading = Guarda tu tarjeta
save-card-button = Guardar tarjeta
save-card-hint = Ahora no se cobra nada: la tarjeta se comprueba y se guarda para tus próximos pagos a esta tienda.
processing = Procesando…
field-email = Correo electrónico
field-card-number = Número de tarjeta
field-expiry = Caducidad (MM / AA)
field-cvc = Código de seguridad (CVC)
card-brand-unknown = Tarjeta
fields-need-attention = { $count ->
    [one] 1 campo necesita tu atención.
   *[other] { $count } campos necesitan tu atención.
}
expires-in = Caduca en { $time }
checkout-has-expired = Este pago ha caducado.
cancel-link = Cancelar y volver a la tienda
cancel-button = Cancelar el pago
secure-note = Los pagos se procesan de forma segura. Kassa nunca guarda el número de tu tarjeta ni su código de seguridad.

## What is wrong with a field
problem-email_missing = Introduce tu dirección de correo electrónico.
problem-email_invalid = Introduce un correo electrónico válido, como nombre@example.com.
problem-number_incomplete = El número de tu tarjeta está incompleto.
problem-number_invalid = El número de tu tarjeta no es válido. Compruébalo e inténtalo de nuevo.
problem-expiry_incomplete = Introduce la fecha de caducidad como MM / AA.
problem-expiry_month_invalid = El mes de caducidad debe estar entre 01 y 12.
problem-expiry_past = La fecha de caducidad de tu tarjeta ya ha pasado.
problem-cvc_incomplete = El código de seguridad de tu tarjeta está incompleto.

## Why a payment was not taken
decline-heading = Tu pago no se ha completado.
decline-card_declined = Tu tarjeta ha sido rechazada. Prueba con otra tarjeta.
decline-insufficient_funds = Tu tarjeta no tiene fondos suficientes. Prueba con otra tarjeta.
decline-expired_card = Tu tarjeta ha caducado. Prueba con otra tarjeta.
decline-incorrect_cvc = El código de seguridad de tu tarjeta es incorrecto. Compruébalo e inténtalo de nuevo.
decline-processing_error = Se ha producido un error al procesar tu tarjeta. Inténtalo de nuevo en un momento.
decline-authentication_failed = Tu banco no ha podido verificar este pago. Inténtalo de nuevo o usa otra tarjeta.
decline-payment_failed = Tu banco no ha aprobado el pago. Inténtalo de nuevo o usa otra tarjeta.
decline-generic = El pago no ha sido aprobado. Inténtalo de nuevo o usa otra tarjeta.
decline-too_many_attempts = Este pago se ha cerrado tras demasiados pagos rechazados. Ponte en contacto con la tienda para pagar de otra forma.
decline-too_many_failures = Se han rechazado demasiados pagos últimamente. Espera un rato antes de volver a intentarlo.

## 3-D Secure
challenge-heading = Verifica tu pago
challenge-text = Tu banco te pide que confirmes este pago de { $total } con { $card }.
challenge-hint = Este es el banco de pruebas: elige qué debe responder el banco.
challenge-approve = Completar la autenticación
challenge-fail = Hacer fallar la autenticación

## A session that takes no more payments
closed-paid-heading = Este pedido ya está pagado
closed-paid-text = No tienes que hacer nada más: hemos recibido el pago de este pedido.
closed-expired-heading = Este pago ha caducado
closed-expired-text = Se ha agotado el tiempo para pagar y no se ha cobrado nada. Vuelve a la tienda para empezar de nuevo.
closed-cancelled-heading = Este pago se ha cancelado
closed-cancelled-text = No se ha cobrado nada. Vuelve a la tienda si todavía quieres hacer el pedido.
closed-failed-heading = El pago ha fallado
return-to-shop = Volver a la tienda

## After paying
return-pending-heading = Confirmando tu pago…
return-pending-text = Tu banco todavía está procesando el pago. Esta página se actualiza sola; mantenla abierta.
return-paid-heading = Pago realizado
return-paid-text = Gracias. Hemos recibido tu pago.
return-saved-heading = Tarjeta guardada
return-saved-text = No se ha cobrado nada. Tu tarjeta queda guardada para tus próximos pagos a esta tienda.
return-taking-back = Volviendo a la tienda…
return-failed-heading = Tu pago no se ha completado
try-again = Intentar de nuevo

## Receipts
receipt-heading = Recibo
receipt-status = Estado:
receipt-paid-with = Pagado con { $card } el { $date }.
receipt-refunded = { $amount } reembolsado el { $date }
receipt-reference = Referencia: { $reference }
receipt-card-saved = { $card } está guardada para pagos futuros a esta tienda.
receipt-remove-card = Eliminar esta tarjeta
receipt-card-removed = { $card } se eliminó el { $date }: no se volverá a cargar.
state-Created = Creado
state-Pending = Pendiente
state-Processing = En proceso
state-RequiresAction = Requiere acción
state-Paid = Pagado
state-Authorized = Autorizado
state-Failed = Fallido
state-Expired = Caducado
state-Cancelled = Cancelado
state-PartiallyRefunded = Reembolsado en parte
state-Refunded = Reembolsado

## Payment links
link-price = Precio
link-amount = Importe ({ $currency })
link-range = Entre { $min } y { $max }
link-quantity = Cantidad
link-continue = Continuar al pago
link-error-range = Elige un importe entre { $min } y { $max }.
link-error-amount = Introduce un importe como { $example }.
link-error-no-price = Este enlace no tiene precio.
link-error-too-many = Se han iniciado demasiados pagos desde tu red. Inténtalo de nuevo dentro de una hora.
link-error-quantity = Elige una cantidad de 1 a { $max }.

## The receipt email
email-subject = Tu recibo de { $merchant }: { $total }
email-thanks = Gracias por tu pago a { $merchant }.
email-total-paid = Total pagado
email-receipt-link = Tu recibo y el estado del pago: { $link }

## Dates
date = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## The widget on the merchant's page (public/widget.js)
widget-unavailable = El pago no se puede mostrar en esta página.
widget-open = Abrir el pago seguro
widget-frame-title = Pago
widget-buy = Comprar ahora
widget-close = Cerrar

## A card form from the payment processor (Stripe), in live mode
field-card = Tarjeta
card-needs-js = Este formulario de tarjeta es de nuestro procesador de pagos, Stripe, y necesita JavaScript: los datos de tu tarjeta van directamente a Stripe, nunca a través de esta página. Activa JavaScript para pagar o vuelve a la tienda.
card-form-unavailable = No se pudo cargar el formulario de tarjeta. Comprueba tu conexión y vuelve a cargar la página.
processor-challenge-hint = La verificación de tu banco se abre sobre esta página. Si no se abre nada, pulsa el botón.
processor-challenge-start = Verificar con mi banco
