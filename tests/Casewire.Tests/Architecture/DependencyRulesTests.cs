using System.Text.RegularExpressions;
using Mono.Cecil;

namespace Casewire.Tests.Architecture;

/// <summary>
/// The folder rules of DESIGN.md, checked twice: in the source's <c>using</c> lines (what a reviewer reads) and
/// in the compiled assembly (which also sees fully qualified names, <c>using static</c> and the Razor views).
/// </summary>
public sealed partial class DependencyRulesTests
{
    static readonly string SourceRoot = Path.Combine(RepositoryRoot(), "src", "Casewire");

    [Fact]
    public void NoUsingLineInSrcCrossesAForbiddenFolderEdge()
    {
        var files = Directory.EnumerateFiles(SourceRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}") && !IsBuildOutput(f))
            .ToList();
        Assert.True(files.Count > 100, $"found only {files.Count} source files under {SourceRoot}");

        var violations = (
            from file in files
            let relative = Path.GetRelativePath(SourceRoot, file)
            let folder = relative.Contains(Path.DirectorySeparatorChar) ? relative[..relative.IndexOf(Path.DirectorySeparatorChar)] : "Program"
            from line in File.ReadLines(file)
            let match = UsingLine().Match(line)
            where match.Success
            let why = FolderRules.Violation(folder, match.Groups["name"].Value)
            where why is not null
            select $"{relative}: '{line.Trim()}' — {why}").ToList();

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void NoCompiledTypeUsesATypeAcrossAForbiddenFolderEdge()
    {
        using var assembly = AssemblyDefinition.ReadAssembly(typeof(Casewire.Model.Company).Assembly.Location);
        var types = assembly.MainModule.Types.Where(t => t.Name != "<Module>").ToList();
        Assert.Contains(types, t => t.Namespace == "Casewire.Delivery");

        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var from = FolderOfDefinition(type);
            if (from is null) continue;
            foreach (var used in TypesUsedBy(type))
                if (FolderRules.Violation(from, used) is { } why)
                    violations.Add($"{type.FullName} uses {used} — {why}");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [InlineData("Delivery", "Casewire.Partner.MessagesApi")]
    [InlineData("Delivery", "Casewire.Portal")]
    [InlineData("Delivery", "Casewire.Milestones.MilestoneMessages")]
    [InlineData("Data", "Casewire.Delivery.OutboxWake")]
    [InlineData("CompanyApp", "Casewire.Partner")]
    [InlineData("CompanyApp", "Casewire.Partner.Auth.Tenant")]
    [InlineData("Cli", "Casewire.Partner.Json")]
    [InlineData("Model", "Casewire.Time")]
    [InlineData("Portal", "Casewire.CompanyApp.Display")]
    public void TheRulesRefuseTheEdgesTheLayoutForbids(string from, string used) =>
        Assert.NotNull(FolderRules.Violation(from, used));

    [Theory]
    [InlineData("CompanyApp", FolderRules.TokenCreation)]
    [InlineData("Cli", "Casewire.Partner.Auth.ApiTokens/RevokeOutcome")]
    [InlineData("Cli", "Casewire.Partner.Auth")]
    [InlineData("Hosting", "Casewire.Partner")]
    [InlineData("Program", "Casewire.Partner")]
    [InlineData("Delivery", "Casewire.Model")]
    [InlineData("Milestones", "Casewire.Delivery.Webhooks")]
    [InlineData("Model", "System.Text.Json")]
    public void TheRulesAllowWhatTheLayoutAllows(string from, string used) =>
        Assert.Null(FolderRules.Violation(from, used));

    /// <summary>A Razor view compiles to <c>AspNetCoreGeneratedDocument.CompanyApp_Pages_Projects_Project</c>: its folder leads its name.</summary>
    static string? FolderOfDefinition(TypeDefinition type) =>
        type.Namespace == "AspNetCoreGeneratedDocument" ? type.Name.Split('_')[0] : FolderRules.FolderOf(type.Namespace + ".");

    /// <summary>Every type named by a type's signatures, attributes and method bodies, nested and compiler-generated types included.</summary>
    static IEnumerable<string> TypesUsedBy(TypeDefinition type)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Add(TypeReference? reference)
        {
            switch (reference)
            {
                case null: return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    return;
                case TypeSpecification specification: // arrays, by-ref, pointers, modifiers
                    Add(specification.ElementType);
                    return;
                case GenericParameter: return;
            }
            var outer = reference;
            while (outer.DeclaringType is not null) outer = outer.DeclaringType;
            used.Add(outer.Namespace + "." + reference.FullName[(outer.Namespace.Length > 0 ? outer.Namespace.Length + 1 : 0)..]);
        }
        void AddMember(MemberReference member)
        {
            Add(member.DeclaringType);
            switch (member)
            {
                case GenericInstanceMethod generic:
                    foreach (var argument in generic.GenericArguments) Add(argument);
                    AddMember(generic.ElementMethod);
                    break;
                case MethodReference method:
                    Add(method.ReturnType);
                    foreach (var parameter in method.Parameters) Add(parameter.ParameterType);
                    break;
                case FieldReference field:
                    Add(field.FieldType);
                    break;
            }
        }
        void Visit(TypeDefinition t)
        {
            Add(t.BaseType);
            foreach (var i in t.Interfaces) Add(i.InterfaceType);
            foreach (var a in t.CustomAttributes) Add(a.AttributeType);
            foreach (var f in t.Fields) Add(f.FieldType);
            foreach (var p in t.Properties) Add(p.PropertyType);
            foreach (var m in t.Methods)
            {
                Add(m.ReturnType);
                foreach (var p in m.Parameters) Add(p.ParameterType);
                foreach (var a in m.CustomAttributes) Add(a.AttributeType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t2: Add(t2); break;
                        case MemberReference member: AddMember(member); break;
                    }
                }
            }
            foreach (var nested in t.NestedTypes) Visit(nested);
        }
        Visit(type);
        return used;
    }

    static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}");

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Casewire.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Casewire.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^\s*@?using\s+(static\s+)?(?<name>Casewire(\.[A-Za-z0-9_]+)*)\s*;?\s*$")]
    private static partial Regex UsingLine();
}
