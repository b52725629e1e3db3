using System.Text.Json;
using Casewire.Data;
using Casewire.Model;
using Casewire.Validation;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner;

/// <summary>
/// A reference to a contact as the CMS sends it (SPEC §3): a number (Casewire id), a string
/// (externalId), or an object <c>{ "id": n }</c> / <c>{ "externalId": "…" }</c>.
/// </summary>
readonly record struct ClientReference(int? Id, string? ExternalId)
{
    public override string ToString() => Id is { } id ? $"id {id}" : $"externalId '{FieldErrors.Shorten(ExternalId!)}'";

    public static ClientReference? Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetInt32(out var id) && id > 0:
                return new ClientReference(id, null);
            case JsonValueKind.String when !string.IsNullOrWhiteSpace(element.GetString()):
                return new ClientReference(null, element.GetString()!.Trim());
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("id") || property.Name.Equals("id", StringComparison.OrdinalIgnoreCase))
                        return property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var objectId) && objectId > 0
                            ? new ClientReference(objectId, null)
                            : null;
                    if (property.Name.Equals("externalId", StringComparison.OrdinalIgnoreCase))
                        return property.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(property.Value.GetString())
                            ? new ClientReference(null, property.Value.GetString()!.Trim())
                            : null;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Reads the array; errors go to <paramref name="errors"/> under <paramref name="field"/>.
    /// </summary>
    public static List<ClientReference> ReadAll(string field, List<JsonElement>? elements, FieldErrors errors, bool required)
    {
        if (elements is null || elements.Count == 0)
        {
            if (required) errors.Add(field, $"{field} is required: a non-empty array of contact references " +
                                            "(a contact id number, an externalId string, or {\"id\": n} / {\"externalId\": \"…\"}).");
            return [];
        }
        if (elements.Count > Limits.Clients)
        {
            errors.Add(field, $"{field} has {elements.Count} entries; at most {Limits.Clients} are accepted.");
            return [];
        }
        var references = new List<ClientReference>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            if (Read(elements[i]) is { } reference) references.Add(reference);
            else errors.Add(field, $"{field}[{i}] is not a contact reference; use a contact id (number), an externalId (string), " +
                                   "or an object {\"id\": n} or {\"externalId\": \"…\"}.");
        }
        return references;
    }

    /// <summary>Resolves references to contacts of one company; the unresolved ones are returned with their index.</summary>
    public static async Task<(List<Contact> Contacts, List<(int Index, ClientReference Reference)> Unresolved)> ResolveAsync(
        CasewireDb db, int companyId, IReadOnlyList<ClientReference> references, CancellationToken ct)
    {
        var ids = references.Where(r => r.Id is not null).Select(r => r.Id!.Value).Distinct().ToList();
        var externalIds = references.Where(r => r.ExternalId is not null).Select(r => r.ExternalId!).Distinct().ToList();
        var found = await db.Contacts.ForCompany(companyId)
            .Where(c => ids.Contains(c.Id) || externalIds.Contains(c.ExternalId))
            .ToListAsync(ct);

        var contacts = new List<Contact>();
        var unresolved = new List<(int, ClientReference)>();
        for (var i = 0; i < references.Count; i++)
        {
            var r = references[i];
            var contact = r.Id is { } id ? found.FirstOrDefault(c => c.Id == id) : found.FirstOrDefault(c => c.ExternalId == r.ExternalId);
            if (contact is null) unresolved.Add((i, r));
            else if (!contacts.Contains(contact)) contacts.Add(contact);
        }
        return (contacts, unresolved);
    }
}
