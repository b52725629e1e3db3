using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Casewire.Partner.Json;

/// <summary>
/// Request strings, refusing the character U+0000 (NUL): no text a CMS means holds one, and
/// PostgreSQL can neither store it nor compare with it (22021), so a NUL would be a 500 wherever the
/// string went, a lookup included. Refused while reading, it is a 400 naming the field. Everything
/// else is System.Text.Json's own string handling.
/// </summary>
sealed class TextConverter : JsonConverter<string>
{
    public const string NulMessage = "The JSON value holds the character U+0000 (NUL), which no field accepts.";

    static readonly JsonConverter<string?> BuiltIn = JsonMetadataServices.StringConverter;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(BuiltIn.Read(ref reader, typeToConvert, options));

    /// <summary>The value, or a <see cref="JsonException"/> when it holds a NUL.</summary>
    public static string? Checked(string? value) => value?.Contains('\0') == true ? throw new JsonException(NulMessage) : value;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => BuiltIn.Write(writer, value, options);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        BuiltIn.ReadAsPropertyName(ref reader, typeToConvert, options)!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        BuiltIn.WriteAsPropertyName(writer, value, options);
}
