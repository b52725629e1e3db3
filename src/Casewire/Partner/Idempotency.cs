namespace Casewire.Partner;

/// <summary>
/// <c>Idempotency-Key</c> on POST endpoints (SPEC §1, Stripe semantics). Placeholder until the
/// idempotency filter lands: marks the endpoint as accepting the header.
/// </summary>
public static class Idempotency
{
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder endpoint) => endpoint;
}
