"""Palabras en español de los errores que puede encontrar un vendedor (ver problem_en.py)."""

MESSAGES: dict[str, str] = {
    # clientes y registros
    "problem.customer.not_in_portfolio": "El cliente {customer} no está en su cartera en esta tableta.",
    "problem.customer.other_seller": "El cliente {customer} está en la cartera de {seller}, no en la suya.",
    "problem.customer.out_of_scope": "El cliente {customer} no está (ya) en su cartera.",
    "problem.customer.unknown": "El cliente {customer} no existe en el servidor.",
    "problem.record.not_author": "Este registro ({record}) es de {author}; solo lo guarda su autor.",
    "problem.record.other_seller": "Este registro ({record}) pertenece a otro vendedor.",
    "enum.Entity.visit": "visita",
    "enum.Entity.competitor_observation": "observación de la competencia",
    "enum.Entity.claim": "reclamación",
    "enum.Entity.lost_sale": "venta perdida",
    "problem.observation.no_competitor": "Indique el competidor.",
    "problem.photo.bad_type": "Una foto debe ser una imagen JPEG, PNG o WebP.",
    # oportunidades
    # visitas, reclamaciones y avisos de sincronización
    "problem.visit.check_in_first": "Registre la llegada antes de la salida.",
    "problem.visit.not_on_device": "Esta visita no está en esta tableta.",
    "problem.claim.no_description": "Describa la reclamación.",
    "problem.sync_issue.not_open": "Este aviso ya se atendió.",
    "problem.sync_issue.not_refused": "Solo se puede reenviar un cambio rechazado.",
    "problem.opportunity.no_title": "Ponga un título a la oportunidad.",
    "problem.opportunity.not_yours": "Una oportunidad solo la guarda su vendedor.",
    "problem.opportunity.lost_needs_reason": "Una oportunidad perdida necesita un motivo de pérdida.",
    "problem.opportunity.cannot_move": "Una oportunidad no puede pasar a otro cliente ni a otro vendedor.",
    "problem.opportunity.last_stage": "Una oportunidad en la etapa {stage} no puede avanzar más.",
    "problem.opportunity.closed": "La oportunidad ya está cerrada ({stage}).",
    "problem.opportunity.not_on_device": "Esta oportunidad no está en esta tableta.",
    "problem.opportunity.other_owner": "Esta oportunidad pertenece a otro vendedor o cliente.",
    # precios y líneas
    "problem.no_price": "No hay precio para {quantity} × {sku} del cliente {customer} el {day}: ninguna tarifa "
    "vigente lo tiene para esa cantidad.",
    "problem.fx_rate_missing": "No hay tipo de cambio {source}→{target} del {day} ni de los {days} días anteriores. "
    "Haga el presupuesto en {source} o pida que se actualicen los tipos.",
    "problem.fx_rate_old": "No hay tipo de cambio {source}→{target} del {day} ni de los {days} días anteriores (el "
    "último es del {latest}). Haga el presupuesto en {source} o pida que se actualicen los "
    "tipos.",
    "problem.line.quantity_not_positive": "La cantidad de {sku} debe ser mayor que 0 (ha escrito {quantity}).",
    "problem.line.discount_out_of_range": "El descuento de {sku} debe estar entre 0 y 100 % (ha escrito {discount}).",
    "problem.line.negative_price": "El precio de {sku} no puede ser negativo.",
    "problem.line.unknown_product": "Línea {line}: el producto {sku} no está en el catálogo de esta tableta.",
    "problem.line.no_price": "Línea {line}: ninguna tarifa da precio a {sku} para este cliente; escriba un precio.",
    "problem.line.cost_not_converted": "Línea {line}: no se puede convertir el coste. {problem}",
    "problem.line.not_a_substitute": "{substitute} no es un sustituto con stock de {sku}.",
    "problem.line.not_short": "{sku} se puede entregar tal como se pide; quite la línea en su lugar.",
    # preparar y guardar presupuestos
    "problem.quote.no_line": "El presupuesto no tiene línea {line}.",
    "problem.quote.no_lines": "Añada al menos un producto antes de guardar el presupuesto.",
    "problem.quote.cannot_save": "No se puede guardar el presupuesto: {problems}",
    "problem.quote.credit_not_converted": "El crédito del cliente está en {currency} y el presupuesto no se puede "
    "convertir a esa moneda. {problem}",
    "problem.quote.validity_too_short": "Un presupuesto debe ser válido al menos un día.",
    "problem.quote.expires_before_issue": "Un presupuesto no puede caducar ({valid_until}) antes de emitirse "
    "({issue_date}).",
    "problem.quote.header_discount_out_of_range": "El descuento del presupuesto debe estar entre 0 y 100 % (ha "
    "escrito {discount}).",
    "problem.quote.not_on_device": "Este presupuesto no está en esta tableta.",
    "problem.quote.not_yours": "El presupuesto {number} es de {seller}.",
    "problem.quote.not_latest": "El presupuesto {number} v{version} no es la última versión (v{latest}).",
    "problem.quote.not_a_draft": "El presupuesto {number} v{version} está en estado «{status}»; edítelo para crear "
    "la versión {next}.",
    "problem.quote.version_taken": "La versión {version} del presupuesto {number} ya se creó en esta tableta; abra "
    "la última versión para cambiarla.",
    "problem.quote.lost_reason": "Indique por qué se perdió el presupuesto: {reasons}.",
    "problem.quote.competitor_price_negative": "El precio del competidor no puede ser negativo.",
    # la máquina de estados
    "problem.quote.transition_not_allowed": "Un presupuesto en estado «{status}» no puede pasar a «{target}» (puede "
    "pasar a: {allowed}).",
    "problem.quote.status_is_final": "Un presupuesto en estado «{status}» es definitivo: no puede pasar a «{target}».",
    "problem.quote.rejected_is_closed": "Una versión rechazada está cerrada; edítela para crear una versión nueva y "
    "envíe esa.",
    "problem.quote.edit_makes_new_version": "Un presupuesto en estado «{status}» nunca se edita directamente; "
    "edítelo para crear una versión nueva.",
    "problem.quote.draft_edited_in_place": "Un borrador se edita directamente; no necesita una versión nueva.",
    "problem.quote.accepted_not_revised": "Un presupuesto aceptado ya es un pedido; no se revisa.",
    "problem.quote.needs_approval": "Un responsable debe aprobar este presupuesto antes de enviarlo: {rules}.",
    "problem.quote.needs_new_approval": "Desde la aprobación se han activado reglas nuevas ({rules}): vuelva a pedir "
    "aprobación antes de enviarlo.",
    "problem.quote.validity_over": "El presupuesto era válido hasta el {valid_until}; ya no puede pasar a "
    "«{status}». Cree una versión nueva.",
    "problem.quote.not_expired": "Un presupuesto solo caduca después de su fecha de validez ({valid_until}).",
    "problem.quote.replaced": "El presupuesto {number} v{version} fue sustituido por la v{newer}; envíe esa.",
    "problem.quote.status_changed": "El presupuesto {number} v{version} está ahora en estado «{status}»; revíselo.",
    # números de presupuesto
    "problem.quote_number.bad_prefix": "El prefijo {prefix} del número de presupuesto debe tener de 2 a 8 "
    "mayúsculas o cifras y empezar por mayúscula.",
    "problem.quote_number.bad_year": "El año {year} del número de presupuesto está fuera de rango.",
    "problem.quote_number.bad_counter": "El contador de un número de presupuesto empieza en 1 (se recibió {counter}).",
    "problem.quote_number.invalid": "{number} no es un número de presupuesto como JGM1-2026-0042.",
    "problem.quote_number.bad_ordinal": "El número de dispositivo empieza en 1 (se recibió {ordinal}).",
    "problem.quote_number.ordinal_too_large": "El número de dispositivo {ordinal} es demasiado grande para un prefijo "
    "de presupuesto.",
    # lo que el servidor rechaza al recibir un presupuesto
    "problem.quote.saved_by_seller": "Un presupuesto solo lo guarda su vendedor.",
    "problem.quote.number_taken": "El número de presupuesto {number} pertenece a otro vendedor o cliente.",
    "problem.quote.version_exists": "El presupuesto {number} ya tiene una versión {version}; un cambio crea una "
    "versión nueva.",
    "problem.quote.previous_version_missing": "El presupuesto {number} v{version} necesita antes la versión "
    "{previous}.",
    "problem.quote.number_fixed": "Este presupuesto es el {number} v{version}; su número y su versión no cambian "
    "nunca.",
    "problem.quote.other_owner": "El presupuesto {number} pertenece a otro cliente o vendedor.",
    "problem.quote.decided_while_offline": "Un responsable decidió el presupuesto {number} v{version} («{status}») "
    "mientras esta edición estaba sin conexión: la decisión se mantiene y la "
    "edición no se aplicó. Edítelo de nuevo para crear la versión {next}.",
    "problem.quote.repeated_line": "El presupuesto {number} v{version} repite un número de línea.",
    "problem.quote.totals_mismatch": "Los totales del presupuesto {number} v{version} no cuadran con sus líneas.",
    "problem.quote.unknown_products": "El presupuesto {number} v{version} tiene productos que el servidor no conoce: "
    "{skus}.",
    "problem.quote.not_on_server": "El servidor no tiene este presupuesto: guárdelo de nuevo y sincronice.",
    "problem.quote.waiting_for_approval": "El presupuesto {number} v{version} espera la decisión de un responsable; "
    "se podrá enviar cuando esté aprobado.",
    "problem.quote.nothing_to_send": "El presupuesto {number} v{version} no tiene líneas que enviar.",
    "problem.quote.pdf_missing": "El PDF del presupuesto aún no ha llegado al servidor; se sube antes de enviarlo.",
    # aprobaciones
    "problem.approval.requested_by_seller": "Solo el vendedor del presupuesto puede pedir su aprobación.",
    "problem.approval.already_requested": "La aprobación de este presupuesto ya se había solicitado.",
    "problem.approval.managers_only": "Solo un responsable o un administrador decide las aprobaciones.",
    "problem.approval.unknown": "Esta solicitud de aprobación no existe.",
    "problem.approval.quote_missing": "Falta el presupuesto de esta solicitud de aprobación.",
    "problem.approval.not_your_team": "El presupuesto {number} es de {seller}, que no está en su equipo.",
    "problem.approval.already_decided": "{by} ya decidió esta solicitud: {decision}.",
    "problem.approval.not_waiting": "El presupuesto {number} v{version} está en estado «{status}»: ya no espera "
    "aprobación.",
    # correo, archivos y adjuntos
    "problem.email.no_recipients": "Escriba al menos una dirección de correo.",
    "problem.email.bad_addresses": "Estas direcciones de correo no son válidas: {addresses}",
    "problem.email.already_queued": "Este correo ya estaba en cola.",
    "problem.file.type_not_allowed": "No se puede adjuntar un archivo de tipo {type}; use uno de estos: {allowed}.",
    "problem.file.empty": "El archivo está vacío.",
    "problem.file.too_large": "El archivo ocupa {size} MiB; el límite es {limit} MiB.",
    "problem.file.not_on_device": "El archivo {file}… no está en esta tableta.",
    "problem.attachment.too_large": "El archivo es demasiado grande: el servidor acepta hasta {limit} MiB.",
    "problem.attachment.corrupted": "El archivo llegó dañado y no se guardó nada; se vuelve a subir.",
    "problem.attachment.not_yours": "El PDF del presupuesto pertenece al trabajo de otra persona; no puede enviarse "
    "desde aquí.",
    "problem.attachment.out_of_scope": "Este archivo es de un vendedor fuera de su ámbito.",
    # ajustes, inicio de sesión y sincronización
    "problem.settings.language": "La aplicación no está disponible en {language}.",
    "problem.settings.server_url": "Una dirección de servidor es como https://sync.example.com, no «{text}».",
    "problem.sign_in.invalid": "Escriba un usuario válido y una contraseña.",
    "problem.request.control_character": "La dirección de la petición contiene un carácter de control.",
    "problem.sync.invalid_mutation": "El servidor no pudo leer este cambio ({problems}); se ha apartado.",
    "problem.sync.invalid_value": "El servidor rechazó un valor de este cambio ({problems}); se ha apartado.",
    "problem.sync.server_fault": "El servidor falló con este cambio (referencia {reference}); se ha apartado y tus demás cambios siguieron.",
    "problem.sync.invalid_record": "El servidor considera no válido este registro ({record}): {problems}",
    "problem.sync.unknown_mutation": "El servidor no conoce este tipo de cambio ({name}); necesita una actualización.",
    "problem.sync.other_device": "Esta sesión pertenece a otro dispositivo; vuelva a iniciar sesión.",
    "problem.sync.unknown_device": "El servidor no reconoce este dispositivo; vuelva a iniciar sesión.",
    # un valor de formulario que el registro rechaza (shared/invalid_input.py)
    "problem.field.too_long": "{field}: como máximo {limit} caracteres.",
    "problem.field.too_short": "{field}: al menos {limit} caracteres.",
    "problem.field.too_small": "{field}: como mínimo {limit}.",
    "problem.field.too_big": "{field}: como máximo {limit}.",
    "problem.field.required": "{field}: obligatorio.",
    "problem.field.not_a_number": "{field}: escriba un número.",
    "problem.field.not_a_date": "{field}: escriba una fecha.",
    "problem.field.invalid": "{field}: no es válido.",
    "enum.Field.purpose": "Motivo",
    "enum.Field.notes": "Notas",
    "enum.Field.next_step": "Siguiente paso",
    "enum.Field.competitor": "Competidor",
    "enum.Field.sku": "Producto",
    "enum.Field.category_code": "Categoría",
    "enum.Field.observed_price": "Precio visto",
    "enum.Field.title": "Título",
    "enum.Field.value": "Importe",
    "enum.Field.probability_percent": "Probabilidad",
    "enum.Field.expected_close": "Cierre previsto",
    "enum.Field.lost_reason": "Motivo de pérdida",
    "enum.Field.description": "Descripción",
    "enum.Field.invoice_number": "Factura",
    "enum.Field.outcome": "Resultado",
    "enum.Field.stage": "Etapa",
    "enum.Field.currency": "Moneda",
    "enum.Field.category_codes": "Categorías",
}
