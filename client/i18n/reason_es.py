"""Palabras en español de las reglas de aprobación y los motivos de crédito (ver reason_en.py)."""

MESSAGES: dict[str, str] = {
    # situación de crédito (shared/rules/credit.py)
    "credit_reason.no_credit_data": "Aún no hay datos de crédito del ERP: consulte con finanzas antes de prometer "
    "condiciones",
    "credit_reason.blocked": "Bloqueado por finanzas: {reason}",
    "credit_reason.prepayment_required": "Pago anticipado obligatorio: el pedido sale cuando esté pagado",
    "credit_reason.over_limit": "Supera el límite de crédito en {over} (riesgo {exposure}, límite {limit})",
    "credit_reason.near_limit": "Cerca del límite de crédito: {used} usado, {available} disponible",
    "credit_reason.overdue_invoice": "{count} factura vencida, con {days} días de retraso ({amount})",
    "credit_reason.overdue_invoices": "{count} facturas vencidas, la más antigua con {days} días de retraso ({amount})",
    "credit_reason.overdue_balance": "Saldo vencido, el más antiguo con {days} días de retraso ({amount})",
    "credit_reason.overdue_invoice_late": "{count} factura vencida, con {days} días de retraso ({amount}): más de "
    "{limit} días de retraso bloquea nuevas ventas hasta que se pague",
    "credit_reason.overdue_invoices_late": "{count} facturas vencidas, la más antigua con {days} días de retraso "
    "({amount}): más de {limit} días de retraso bloquea nuevas ventas hasta "
    "que se paguen",
    "credit_reason.overdue_balance_late": "Saldo vencido, el más antiguo con {days} días de retraso ({amount}): más "
    "de {limit} días de retraso bloquea nuevas ventas hasta que se pague",
    "credit_reason.dispute_one": "{count} reclamación abierta por {amount}",
    "credit_reason.disputes": "{count} reclamaciones abiertas por {amount}",
    # reglas de aprobación (shared/rules/approval.py, floors.py)
    "rule.discount_above_band": "Línea {line} ({sku}): descuento del {discount}, por encima del {limit} que puede "
    "dar un vendedor de nivel {band}",
    "rule.price_below_floor": "Línea {line} ({sku}): precio {price} por debajo del mínimo {floor} ({level} {code})",
    "rule.margin_below_floor": "Línea {line} ({sku}): margen del {margin} por debajo del mínimo del {minimum} "
    "({level} {code})",
    "rule.no_margin": "Línea {line} ({sku}): sin importe neto no hay margen; el mínimo es del {minimum} "
    "({level} {code})",
    "rule.credit_blocked": "Crédito bloqueado: {reasons}",
    "rule.credit_warning": "Aviso de crédito: {reasons}",
    "rule.payment_terms": "La condición de pago {terms} no es estándar ({standard})",
    "enum.ApprovalRule.discount_above_band": "descuento por encima del nivel del vendedor",
    "enum.ApprovalRule.price_below_floor": "precio por debajo del mínimo",
    "enum.ApprovalRule.margin_below_floor": "margen por debajo del mínimo",
    "enum.ApprovalRule.credit_warning": "aviso de crédito",
    "enum.ApprovalRule.credit_blocked": "crédito bloqueado",
    "enum.ApprovalRule.payment_terms": "condiciones de pago no estándar",
    "enum.DiscountBand.junior": "júnior",
    "enum.DiscountBand.standard": "estándar",
    "enum.DiscountBand.senior": "sénior",
    "enum.FloorScope.product": "producto",
    "enum.FloorScope.category": "categoría",
}
