using System.Text.Json;
using System.Text.Json.Serialization;

namespace Casewire.Partner.Json;

/// <summary>
/// Reads a CMS id given as a string or as a JSON number (<c>"projectId": 1234</c> is common) as the
/// same string. Anything else is the usual wrong-type 400.
/// </summary>
sealed class IdStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => TextConverter.Checked(reader.GetString()),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException("The JSON value could not be converted to System.String."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
