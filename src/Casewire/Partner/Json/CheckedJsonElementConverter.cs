using System.Text.Json;
using System.Text.Json.Serialization;

namespace Casewire.Partner.Json;

/// <summary>
/// Reads the free-form parts of a request (client and attendee references, reminders) as
/// <see cref="JsonElement"/>, checking as it reads that every string and property name in them is
/// text (and every string storable, as <see cref="TextConverter"/> checks). System.Text.Json leaves
/// that to <c>GetString</c>, which would throw deep inside a handler (a 500) for bytes that are not
/// UTF-8; here it is a <see cref="JsonException"/> at the field, which <see cref="RequestProblems"/>
/// answers with a 400 naming it.
/// </summary>
sealed class CheckedJsonElementConverter : JsonConverter<JsonElement>
{
    public const string NotUtf8Message = "The JSON value holds a string that is not valid UTF-8.";

    static readonly JsonConverter<JsonElement> BuiltIn = System.Text.Json.Serialization.Metadata.JsonMetadataServices.JsonElementConverter;

    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The built-in reading first: it applies the options (AllowDuplicateProperties, MaxDepth).
        var element = BuiltIn.Read(ref reader, typeToConvert, options);
        try
        {
            CheckText(element);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException(NotUtf8Message, e);
        }
        return element;
    }

    static void CheckText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                TextConverter.Checked(element.GetString());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CheckText(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckText(property.Value);
                }
                break;
        }
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}
