using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

public sealed class CompiledModelTestsOnSqlite(SqliteApp app) : CompiledModelTests(app), IClassFixture<SqliteApp>;

public sealed class CompiledModelTestsOnPostgres(PostgresApp app) : CompiledModelTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// The server runs on a compiled EF Core model (src/Switchboard/Data/CompiledModels) instead of
/// building the model at every start. It is generated code: when the entities or their
/// configuration change, scripts/compiled-model.sh must run again, or this fails.
/// </summary>
public abstract class CompiledModelTests(SwitchboardApp app)
{
    [Fact]
    public async Task CompiledModel_IsInUseAndMatchesTheConfiguredModel()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var compiled = db.Model;
        Assert.Equal(db.IsPostgres ? "PostgresAppDbContextModel" : "SqliteAppDbContextModel", compiled.GetType().Name);

        // The design-time model is built from OnModelCreating, as it was before the compiled model.
        var configured = db.GetService<IDesignTimeModel>().Model;
        var expected = Describe(configured);
        var actual = Describe(compiled);
        var firstDifference = expected.Zip(actual).FirstOrDefault(p => p.First != p.Second);
        Assert.True(expected.SequenceEqual(actual),
            $"the compiled model is stale: run scripts/compiled-model.sh (first difference: '{firstDifference.First}' configured, '{firstDifference.Second}' compiled; {expected.Count} against {actual.Count} lines)");
    }

    // Everything the server relies on at run time: tables, columns, types, conversions, keys,
    // relationships and indexes, one line each in a stable order.
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            lines.Add($"entity {entity.Name} table={entity.GetTableName()} schema={entity.GetSchema()} base={entity.BaseType?.Name}");
            var table = StoreObjectIdentifier.Create(entity, StoreObjectType.Table);
            foreach (var p in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var column = table is { } t ? p.GetColumnName(t) : p.GetColumnName();
                lines.Add($"  property {p.Name} {p.ClrType} column={column} type={p.GetColumnType()} nullable={p.IsNullable} max={p.GetMaxLength()} " +
                    $"generated={p.ValueGenerated} concurrency={p.IsConcurrencyToken} converter={p.GetValueConverter()?.GetType()} " +
                    $"provider={p.GetProviderClrType()} shadow={p.IsShadowProperty()} field={p.FieldInfo?.Name}");
            }
            foreach (var key in entity.GetKeys().OrderBy(k => Names(k.Properties), StringComparer.Ordinal))
            {
                lines.Add($"  key {Names(key.Properties)} primary={key.IsPrimaryKey()}");
            }
            foreach (var fk in entity.GetForeignKeys().OrderBy(f => Names(f.Properties) + f.PrincipalEntityType.Name, StringComparer.Ordinal))
            {
                lines.Add($"  fk {Names(fk.Properties)} -> {fk.PrincipalEntityType.Name}({Names(fk.PrincipalKey.Properties)}) " +
                    $"delete={fk.DeleteBehavior} unique={fk.IsUnique} required={fk.IsRequired} " +
                    $"nav={fk.DependentToPrincipal?.Name} inverse={fk.PrincipalToDependent?.Name}");
            }
            foreach (var nav in entity.GetNavigations().OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                lines.Add($"  navigation {nav.Name} -> {nav.TargetEntityType.Name} collection={nav.IsCollection} field={nav.FieldInfo?.Name}");
            }
            foreach (var index in entity.GetIndexes().OrderBy(i => Names(i.Properties), StringComparer.Ordinal))
            {
                lines.Add($"  index {Names(index.Properties)} name={index.GetDatabaseName()} unique={index.IsUnique}");
            }
        }
        return lines;

        static string Names(IEnumerable<IReadOnlyProperty> properties)
        {
            var text = new StringBuilder();
            foreach (var p in properties)
            {
                text.Append(p.Name).Append(',');
            }
            return text.ToString();
        }
    }
}
