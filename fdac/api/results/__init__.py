"""Test results in the JSON API, without HTTP: the fixed names and their one table to
panels.py (codes.py), the request and response schemas (schemas.py), their mapping to
testing_results.services (mapping.py), and stored results as answered (present.py). The views
that wire them to endpoints live with the API's platform (fdac.api.spec's registry).

POST /cases/{reference}/test-results, step by step:
    body: TestResultIn (the registry's model_validate runs every rule: one 422 lists all)
    parent = the case's parent body.parent_id (a 422 on parent_id when not of this case)
    stored, errors = mapping.already_stored(body, parent)   # 200 with present.result_for(stored)
    screen, errors = mapping.confirms_for(body, parent)     # 422 with errors
    services.record(parent, [mapping.draft_for(body, parent, screen)], by=user, today=...)
        # FieldErrors: rollback, 422 with mapping.errors_from(error, body)
        # IntegrityError on import_key (the same sample at once): rollback, already_stored
    201 with present.result_for(result)

POST /test-results/{id}/amendments:
    body: AmendmentIn; original: the result (404 unless its case is visible, 403 unless the
    caller may record results on it)
    model, reason, errors = schemas.validate_amendment(body, mapping.payload_of(original))
    screen, errors = mapping.confirms_for(model, original.parent)
    services.amend(original, mapping.amendment_draft(model, original, screen), reason=reason,
                   by=user, today=...)      # FieldErrors -> mapping.errors_from(error, model)
    201 with present.result_for(amendment)

GET /cases/{reference}/test-results: present.results_out(parent) for each parent, filtered by
collected_at; GET /substances: present.substance_list().
"""
