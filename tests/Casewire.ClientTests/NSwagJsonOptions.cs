using System.Text.Json;
using System.Text.Json.Serialization;

namespace Casewire.ClientTests.NSwag;

/// <summary>
/// README "Generated clients", "Leave unset fields out": an NSwag client on System.Text.Json writes every unset property as
/// <c>null</c>, and a null clears a stored value (SPEC §1). The document cannot change that (NSwag's System.Text.Json
/// templates put no ignore condition on optional properties, whatever the schema says), so the integrator sets it in the
/// client's partial method, as the README shows.
/// </summary>
public partial class CasewireClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
