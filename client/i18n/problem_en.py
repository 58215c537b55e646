"""English words of the errors a seller can meet (keys of DomainError; see shared.messages).

Keys are `problem.<area>.<what>`; every one is named somewhere in shared/, client/ or
sync_server/ (tests/client/i18n/test_message_keys.py checks both directions).
"""

MESSAGES: dict[str, str] = {
    # customers and records
    "problem.customer.not_in_portfolio": "Customer {customer} is not in your portfolio on this tablet.",
    "problem.customer.other_seller": "Customer {customer} is in {seller}'s portfolio, not yours.",
    "problem.customer.out_of_scope": "Customer {customer} is not in your portfolio (any more).",
    "problem.customer.unknown": "Customer {customer} does not exist on the server.",
    "problem.record.not_author": "This {record} is {author}'s; only its author records it.",
    "problem.record.other_seller": "This {record} belongs to another seller.",
    "enum.Entity.visit": "visit",
    "enum.Entity.competitor_observation": "competitor observation",
    "enum.Entity.claim": "claim",
    "enum.Entity.lost_sale": "lost sale",
    "problem.observation.no_competitor": "Name the competitor.",
    "problem.photo.bad_type": "A photo must be a JPEG, PNG or WebP image.",
    # visits, claims and sync issues
    "problem.visit.check_in_first": "Check in before checking out.",
    "problem.visit.not_on_device": "This visit is not on this tablet.",
    "problem.claim.no_description": "Describe the claim.",
    "problem.sync_issue.not_open": "This item was already dealt with.",
    "problem.sync_issue.not_refused": "Only a refused change can be sent again.",
    # opportunities
    "problem.opportunity.no_title": "Give the opportunity a title.",
    "problem.opportunity.not_yours": "An opportunity is saved by its own seller.",
    "problem.opportunity.lost_needs_reason": "A lost opportunity needs a lost reason.",
    "problem.opportunity.cannot_move": "An opportunity cannot move to another customer or seller.",
    "problem.opportunity.last_stage": "An opportunity at stage {stage} cannot move on.",
    "problem.opportunity.closed": "The opportunity is already closed ({stage}).",
    "problem.opportunity.not_on_device": "This opportunity is not on this tablet.",
    "problem.opportunity.other_owner": "This opportunity belongs to another seller or customer.",
    # prices and lines
    "problem.no_price": "No price for {quantity} × {sku} for customer {customer} on {day}: no valid price list has "
    "it at this quantity.",
    "problem.fx_rate_missing": "There is no {source}→{target} exchange rate on {day} or in the {days} days before. "
    "Quote in {source} or ask for the rates to be updated.",
    "problem.fx_rate_old": "There is no {source}→{target} exchange rate on {day} or in the {days} days before (the "
    "latest is from {latest}). Quote in {source} or ask for the rates to be updated.",
    "problem.line.quantity_not_positive": "The quantity of {sku} must be more than 0 (you entered {quantity}).",
    "problem.line.discount_out_of_range": "The discount on {sku} must be between 0 and 100% (you entered {discount}).",
    "problem.line.negative_price": "The price of {sku} cannot be negative.",
    "problem.line.unknown_product": "Line {line}: product {sku} is not in the catalogue on this tablet.",
    "problem.line.no_price": "Line {line}: no price list prices {sku} for this customer; enter a price.",
    "problem.line.cost_not_converted": "Line {line}: the cost cannot be converted. {problem}",
    "problem.line.not_a_substitute": "{substitute} is not a substitute with stock for {sku}.",
    "problem.line.not_short": "{sku} can be delivered as asked; remove the line instead.",
    # building and saving quotes
    "problem.quote.no_line": "The quote has no line {line}.",
    "problem.quote.no_lines": "Add at least one product before saving the quote.",
    "problem.quote.cannot_save": "The quote cannot be saved: {problems}",
    "problem.quote.credit_not_converted": "The customer's credit is kept in {currency}, and the quote cannot be "
    "converted to it. {problem}",
    "problem.quote.validity_too_short": "A quote must be valid for at least one day.",
    "problem.quote.expires_before_issue": "A quote cannot expire ({valid_until}) before it is issued ({issue_date}).",
    "problem.quote.header_discount_out_of_range": "The quote discount must be between 0 and 100% (you entered "
    "{discount}).",
    "problem.quote.not_on_device": "This quote is not on this tablet.",
    "problem.quote.not_yours": "Quote {number} belongs to {seller}.",
    "problem.quote.not_latest": "Quote {number} v{version} is not the latest version (v{latest}).",
    "problem.quote.not_a_draft": "Quote {number} v{version} is “{status}”; edit it to make version {next}.",
    "problem.quote.version_taken": "Version {version} of quote {number} was already made on this tablet; open the "
    "latest version to change it.",
    "problem.quote.lost_reason": "Say why the quote was lost: {reasons}.",
    "problem.quote.competitor_price_negative": "The competitor's price cannot be negative.",
    # the status machine
    "problem.quote.transition_not_allowed": "A quote that is “{status}” cannot become “{target}” (it can become: "
    "{allowed}).",
    "problem.quote.status_is_final": "A quote that is “{status}” is final: it cannot become “{target}”.",
    "problem.quote.rejected_is_closed": "A rejected version is closed; edit it to make a new version and submit that.",
    "problem.quote.edit_makes_new_version": "A quote that is “{status}” is never edited in place; edit it to make "
    "a new version.",
    "problem.quote.draft_edited_in_place": "A draft is edited as it is; it needs no new version.",
    "problem.quote.accepted_not_revised": "An accepted quote became an order; it is not revised.",
    "problem.quote.needs_approval": "A manager must approve this quote before it is sent: {rules}.",
    "problem.quote.needs_new_approval": "Since the approval, new rules fired ({rules}): ask for approval again "
    "before sending.",
    "problem.quote.validity_over": "The quote was valid until {valid_until}; it can no longer become “{status}”. "
    "Make a new version.",
    "problem.quote.not_expired": "A quote expires only after its valid-until date ({valid_until}).",
    "problem.quote.replaced": "Quote {number} v{version} was replaced by v{newer}; send that one.",
    "problem.quote.status_changed": "Quote {number} v{version} is now “{status}”; look at it again.",
    # quote numbers
    "problem.quote_number.bad_prefix": "The quote number prefix {prefix} must be 2–8 capitals or digits, starting "
    "with a capital.",
    "problem.quote_number.bad_year": "The year {year} of a quote number is out of range.",
    "problem.quote_number.bad_counter": "A quote number's counter starts at 1 (got {counter}).",
    "problem.quote_number.invalid": "{number} is not a quote number like JGM1-2026-0042.",
    "problem.quote_number.bad_ordinal": "A device number starts at 1 (got {ordinal}).",
    "problem.quote_number.ordinal_too_large": "Device number {ordinal} is too large for a quote number prefix.",
    # what the server refuses when a quote arrives
    "problem.quote.saved_by_seller": "A quote is saved by its own seller.",
    "problem.quote.number_taken": "Quote number {number} belongs to another seller or customer.",
    "problem.quote.version_exists": "Quote {number} already has a version {version}; a change makes a new version.",
    "problem.quote.previous_version_missing": "Quote {number} v{version} needs version {previous} first.",
    "problem.quote.number_fixed": "This quote is {number} v{version}; its number and version never change.",
    "problem.quote.other_owner": "Quote {number} belongs to another customer or seller.",
    "problem.quote.decided_while_offline": "A manager decided quote {number} v{version} (“{status}”) while this "
    "edit was offline: the decision stands and the edit was not applied. Edit "
    "it again to make version {next}.",
    "problem.quote.repeated_line": "Quote {number} v{version} repeats a line number.",
    "problem.quote.totals_mismatch": "The totals of quote {number} v{version} do not match its lines.",
    "problem.quote.unknown_products": "Quote {number} v{version} has products the server does not know: {skus}.",
    "problem.quote.not_on_server": "The server does not have this quote: save it again and sync.",
    "problem.quote.waiting_for_approval": "Quote {number} v{version} is waiting for a manager's decision; it can be "
    "sent once approved.",
    "problem.quote.nothing_to_send": "Quote {number} v{version} has no lines to send.",
    "problem.quote.pdf_missing": "The quote's PDF has not reached the server yet; it is uploaded before sending.",
    # approvals
    "problem.approval.requested_by_seller": "Only the quote's seller asks for its approval.",
    "problem.approval.already_requested": "Approval for this quote was already requested.",
    "problem.approval.managers_only": "Only a manager or an administrator decides approvals.",
    "problem.approval.unknown": "This approval request does not exist.",
    "problem.approval.quote_missing": "The quote of this approval request is missing.",
    "problem.approval.not_your_team": "Quote {number} is from {seller}, who is not in your team.",
    "problem.approval.already_decided": "This request was already {decision} by {by}.",
    "problem.approval.not_waiting": "Quote {number} v{version} is “{status}”: it is no longer waiting for approval.",
    # e-mail, files and attachments
    "problem.email.no_recipients": "Enter at least one e-mail address.",
    "problem.email.bad_addresses": "These are not valid e-mail addresses: {addresses}",
    "problem.email.already_queued": "This e-mail was already queued.",
    "problem.file.type_not_allowed": "A file of type {type} cannot be attached; use one of {allowed}.",
    "problem.file.empty": "The file is empty.",
    "problem.file.too_large": "The file is {size} MiB; the limit is {limit} MiB.",
    "problem.file.not_on_device": "The file {file}… is not on this tablet.",
    "problem.attachment.too_large": "The file is too large: the server accepts up to {limit} MiB.",
    "problem.attachment.corrupted": "The file arrived damaged, so nothing was kept; it is uploaded again.",
    "problem.attachment.not_yours": "The quote's PDF belongs to someone else's work; it cannot be sent from here.",
    "problem.attachment.out_of_scope": "This file belongs to a seller outside your scope.",
    # settings, sign-in and sync
    "problem.settings.language": "The app does not speak {language}.",
    "problem.settings.server_url": "A server address looks like https://sync.example.com, not “{text}”.",
    "problem.sign_in.invalid": "Enter a valid login and a password.",
    "problem.request.control_character": "The address of the request contains a control character.",
    "problem.sync.invalid_mutation": "The server could not read this change ({problems}); it was set aside.",
    "problem.sync.invalid_value": "The server refused a value of this change ({problems}); it was set aside.",
    "problem.sync.server_fault": "The server failed on this change (reference {reference}); it was set aside and your other changes went on.",
    "problem.sync.invalid_record": "The server found this {record} invalid: {problems}",
    "problem.sync.unknown_mutation": "The server does not know this kind of change ({name}); it needs an update.",
    "problem.sync.other_device": "This sign-in belongs to another device; sign in again.",
    "problem.sync.unknown_device": "The server does not know this device; sign in again.",
    # a form value the record refuses (shared/invalid_input.py)
    "problem.field.too_long": "{field}: at most {limit} characters.",
    "problem.field.too_short": "{field}: at least {limit} characters.",
    "problem.field.too_small": "{field}: at least {limit}.",
    "problem.field.too_big": "{field}: at most {limit}.",
    "problem.field.required": "{field}: required.",
    "problem.field.not_a_number": "{field}: write a number.",
    "problem.field.not_a_date": "{field}: write a date.",
    "problem.field.invalid": "{field}: not valid.",
    "enum.Field.purpose": "Purpose",
    "enum.Field.notes": "Notes",
    "enum.Field.next_step": "Next step",
    "enum.Field.competitor": "Competitor",
    "enum.Field.sku": "Product",
    "enum.Field.category_code": "Category",
    "enum.Field.observed_price": "Price seen",
    "enum.Field.title": "Title",
    "enum.Field.value": "Value",
    "enum.Field.probability_percent": "Probability",
    "enum.Field.expected_close": "Expected close",
    "enum.Field.lost_reason": "Lost reason",
    "enum.Field.description": "Description",
    "enum.Field.invoice_number": "Invoice",
    "enum.Field.outcome": "Outcome",
    "enum.Field.stage": "Stage",
    "enum.Field.currency": "Currency",
    "enum.Field.category_codes": "Categories",
}
