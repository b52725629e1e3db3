using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

using PutContactResult = Results<Created<ContactResponse>, Ok<ContactResponse>, ValidationProblem>;

sealed record ContactResponse(
    int Id, string ExternalId, string FirstName, string LastName, string? Email, string? Phone, string NotificationPreference, string? Language)
{
    public static ContactResponse From(Contact c) => new(c.Id, c.ExternalId, c.FirstName, c.LastName, c.Email, c.Phone,
        c.EffectiveNotificationPreference.ToString().ToLowerInvariant(), c.Language);
}

/// <summary>SPEC §2: <c>PUT /partner/v2/contacts</c>, plus the read extensions of §9.</summary>
static class ContactsApi
{
    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder api)
    {
        api.MapPut("/contacts", Put)
            .WithName("PutContact").WithSummary("Create or update a contact")
            .WithDescription("Keyed by externalId within the token's company: 201 when created, 200 when updated. " +
                             "An absent optional field keeps its stored value; null clears it.");
        api.MapGet("/contacts/{externalId}", Get)
            .WithName("GetContact").WithSummary("Get a contact by its externalId").ProducesProblems(StatusCodes.Status404NotFound).MarkAsExtension();
        api.MapGet("/contacts", List)
            .WithName("ListContacts").WithSummary("List contacts, oldest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<PutContactResult> Put(ContactRequest request, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        if (!request.TryRead(tenant.DefaultRegion, out var input, out var errors)) return Problems.Invalid(errors);

        await using var connection = await db.HoldConnectionAsync(ct);
        return await Upsert.WithRetryAsync<PutContactResult>(db, async () =>
        {
            var contact = await db.Contacts.ForCompany(tenant.CompanyId).FirstOrDefaultAsync(c => c.ExternalId == input.ExternalId, ct);
            var created = contact is null;
            var now = time.GetUtcNow();
            contact ??= db.Contacts.Add(new Contact
            {
                CompanyId = tenant.CompanyId, ExternalId = input.ExternalId, FirstName = input.FirstName, LastName = input.LastName, CreatedAt = now,
            }).Entity;
            input.ApplyTo(contact);
            if (input.Check(contact) is { Any: true } merged)
            {
                db.ChangeTracker.Clear();
                return Problems.Invalid(merged);
            }

            if (db.Entry(contact).State != EntityState.Unchanged) contact.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            var body = ContactResponse.From(contact);
            return created ? TypedResults.Created($"/partner/v2/contacts/{Uri.EscapeDataString(input.ExternalId)}", body) : TypedResults.Ok(body);
        });
    }

    static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(c => c.ExternalId == externalId, ct);
        return contact is null ? Problems.NotFound("contact", externalId) : TypedResults.Ok(ContactResponse.From(contact));
    }

    static async Task<Results<Ok<Page<ContactResponse>>, ValidationProblem>> List(
        int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors)) return Problems.Invalid(errors);
        var rows = await db.Contacts.AsNoTracking()
            .ForCompany(tenant.CompanyId).Where(c => c.Id > paging.Cursor)
            .OrderBy(c => c.Id).Take(paging.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, c => c.Id, ContactResponse.From));
    }
}
