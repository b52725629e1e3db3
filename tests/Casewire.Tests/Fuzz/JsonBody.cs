using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// A request body built from a valid example and edited as a tree, where any value may become raw
/// text (1e308, a lone surrogate, a token that is not JSON at all), any object may hold a property
/// twice and any string may hold bytes that are not UTF-8. JsonNode can express none of those, so
/// each is a unique marker string in the tree, swapped for its raw text (or bytes) after serializing.
/// </summary>
public sealed class JsonBody
{
    static readonly JsonSerializerOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonDocumentOptions Reader = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    readonly Dictionary<string, string> _raw = [];
    readonly Dictionary<string, byte[]> _bytes = [];
    int _markers;

    public JsonBody(string example) => Root = JsonNode.Parse(example, documentOptions: Reader)!;

    public JsonNode Root { get; }

    /// <summary>A node that serializes as <paramref name="text"/>, verbatim.</summary>
    public JsonNode Raw(string text)
    {
        var marker = NewMarker();
        _raw[marker] = text;
        return JsonValue.Create(marker);
    }

    /// <summary>A property name that serializes as <paramref name="name"/>, so an object can hold that name twice.</summary>
    public string Duplicate(string name)
    {
        var marker = NewMarker();
        _raw[marker] = JsonSerializer.Serialize(name, Writer);
        return marker;
    }

    /// <summary>A string value with <paramref name="bad"/> bytes in its middle.</summary>
    public JsonNode StringWithBytes(byte[] bad)
    {
        var marker = NewMarker();
        _bytes[marker] = bad;
        return JsonValue.Create("ab" + marker + "cd");
    }

    string NewMarker() => $"@@fuzz{_markers++}@@";

    public byte[] ToBytes()
    {
        var text = Root.ToJsonString(Writer);
        foreach (var (marker, raw) in _raw) text = text.Replace("\"" + marker + "\"", raw, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var (marker, bad) in _bytes) bytes = Replace(bytes, Encoding.UTF8.GetBytes(marker), bad);
        return bytes;
    }

    static byte[] Replace(byte[] bytes, byte[] marker, byte[] with)
    {
        var at = bytes.AsSpan().IndexOf(marker);
        return at < 0 ? bytes : [.. bytes.AsSpan(0, at), .. with, .. bytes.AsSpan(at + marker.Length)];
    }

    /// <summary>A place in the tree: a property of an object or an element of an array, under a top-level field.</summary>
    public sealed record Location(JsonNode Parent, string? Name, int Index, string Field, string Path, int Depth)
    {
        public JsonNode? Value => Name is not null ? Parent.AsObject()[Name] : Parent.AsArray()[Index];

        public void Set(JsonNode? value)
        {
            if (Name is not null) Parent.AsObject()[Name] = value;
            else Parent.AsArray()[Index] = value;
        }

        public void Remove()
        {
            if (Name is not null) Parent.AsObject().Remove(Name);
            else Parent.AsArray().RemoveAt(Index);
        }
    }

    /// <summary>Every property and element, depth first; markers added by earlier edits are skipped.</summary>
    public List<Location> Locations()
    {
        var found = new List<Location>();
        void Walk(JsonNode node, string? field, string path, int depth)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj.ToList())
                    {
                        if (name.StartsWith("@@fuzz", StringComparison.Ordinal)) continue;
                        var top = field ?? name;
                        found.Add(new Location(obj, name, -1, top, $"{path}.{name}", depth + 1));
                        if (value is not null) Walk(value, top, $"{path}.{name}", depth + 1);
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        found.Add(new Location(array, null, i, field!, $"{path}[{i}]", depth + 1));
                        if (array[i] is { } element) Walk(element, field, $"{path}[{i}]", depth + 1);
                    }
                    break;
            }
        }
        Walk(Root, null, "$", 0);
        return found;
    }
}
