using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>SPEC §2: <c>PUT /partner/v2/contacts</c>, plus the read extensions of §9.</summary>
public static class ContactsApi
{
    public sealed record ContactRequest(
        string? ExternalId,
        string? FirstName,
        string? LastName,
        Optional<string?> Email,
        Optional<string?> Phone,
        /// <summary>Extension: <c>sms</c>, <c>email</c> or <c>both</c>; <c>null</c> restores the default.</summary>
        Optional<string?> NotificationPreference);

    public sealed record ContactResponse(
        int Id, string ExternalId, string FirstName, string LastName, string? Email, string? Phone,
        string NotificationPreference)
    {
        public static ContactResponse From(Contact c) => new(c.Id, c.ExternalId, c.FirstName, c.LastName, c.Email, c.Phone,
            c.EffectiveNotificationPreference.ToString().ToLowerInvariant());
    }

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder api)
    {
        api.MapPut("/contacts", Put)
            .WithName("PutContact").WithSummary("Create or update a contact")
            .WithDescription("Keyed by externalId within the token's company: 201 when created, 200 when updated. " +
                             "An absent optional field keeps its stored value; null clears it.");
        api.MapGet("/contacts/{externalId}", Get)
            .WithName("GetContact").WithSummary("Get a contact by its externalId").MarkAsExtension();
        api.MapGet("/contacts", List)
            .WithName("ListContacts").WithSummary("List contacts, oldest first, cursor-paginated").MarkAsExtension();
        return api;
    }

    static async Task<Results<Created<ContactResponse>, Ok<ContactResponse>, ValidationProblem>> Put(
        ContactRequest request, CasewireDb db, Tenant tenant, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var externalId = errors.Required("externalId", request.ExternalId, Limits.ExternalId);
        var firstName = errors.Required("firstName", request.FirstName, Limits.PersonName);
        var lastName = errors.Required("lastName", request.LastName, Limits.PersonName);
        var email = errors.Email("email", request.Email.Value);
        var phone = errors.Phone("phone", request.Phone.Value, tenant.DefaultRegion);
        var preference = ReadPreference(errors, request.NotificationPreference.Value);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);

        return await Upsert.WithRetryAsync(db, async () =>
        {
            var contact = await db.Contacts.FirstOrDefaultAsync(c => c.CompanyId == tenant.CompanyId && c.ExternalId == externalId, ct);
            var created = contact is null;
            var now = time.GetUtcNow();
            contact ??= db.Contacts.Add(new Contact
            {
                CompanyId = tenant.CompanyId, ExternalId = externalId, FirstName = firstName, LastName = lastName, CreatedAt = now,
            }).Entity;

            // Absent keeps, null clears; validation runs on the merged result (SPEC §1).
            contact.FirstName = firstName;
            contact.LastName = lastName;
            contact.Email = request.Email.IsSet ? email : contact.Email;
            contact.Phone = request.Phone.IsSet ? phone : contact.Phone;
            contact.NotificationPreference = request.NotificationPreference.IsSet ? preference : contact.NotificationPreference;

            var merged = new FieldErrors();
            if (contact.Email is null && contact.Phone is null)
                merged.Add(request.Email.IsSet || request.Phone.IsSet ? "phone" : "email",
                    "A contact needs a phone or an email: send phone (E.164, e.g. +15551234567) or email.");
            if (contact.NotificationPreference is Model.NotificationPreference.Sms or Model.NotificationPreference.Both && contact.Phone is null)
                merged.Add("notificationPreference", "notificationPreference 'sms' or 'both' needs a phone.");
            if (contact.NotificationPreference is Model.NotificationPreference.Email or Model.NotificationPreference.Both && contact.Email is null)
                merged.Add("notificationPreference", "notificationPreference 'email' or 'both' needs an email.");
            if (merged.Any)
            {
                db.ChangeTracker.Clear();
                return (Results<Created<ContactResponse>, Ok<ContactResponse>, ValidationProblem>)
                    TypedResults.ValidationProblem(merged.ToDictionary(), merged.Summary);
            }

            if (db.Entry(contact).State != EntityState.Unchanged) contact.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            var body = ContactResponse.From(contact);
            return created
                ? TypedResults.Created($"/partner/v2/contacts/{Uri.EscapeDataString(externalId)}", body)
                : TypedResults.Ok(body);
        });
    }

    static NotificationPreference? ReadPreference(FieldErrors errors, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (EnumNames.TryParse<NotificationPreference>(value, out var parsed)) return parsed;
        errors.Add("notificationPreference", $"notificationPreference '{FieldErrors.Shorten(value)}' is not one of: sms, email, both.");
        return null;
    }

    static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Get(string externalId, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking()
            .FirstOrDefaultAsync(c => c.CompanyId == tenant.CompanyId && c.ExternalId == externalId, ct);
        return contact is null ? Problems.NotFound("contact", externalId) : TypedResults.Ok(ContactResponse.From(contact));
    }

    static async Task<Results<Ok<Page<ContactResponse>>, ValidationProblem>> List(
        int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors))
            return TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);
        var rows = await db.Contacts.AsNoTracking()
            .ForCompany(tenant.CompanyId).Where(c => c.Id > paging.Cursor)
            .OrderBy(c => c.Id).Take(paging.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, c => c.Id, ContactResponse.From));
    }
}
