# A SecretManagement vault extension for the tests (tests/Lookup.Tests.ps1): another module's vault,
# with its secrets in a JSON file named by the vault parameter Path. Values are kept in plain text:
# it exists to test how Secrets searches other modules' vaults, never to keep real secrets.
@{
    ModuleVersion = '1.0.0'
    GUID = '0d7c2a4e-5b8f-4f61-9a3e-7c1d2b9e4f10'
    Author = 'Secrets tests'
    Description = 'A test vault extension for Microsoft.PowerShell.SecretManagement (tests only).'
    NestedModules = @('./TestVault.Extension')
    FunctionsToExport = @()
    CmdletsToExport = @()
    VariablesToExport = @()
    AliasesToExport = @()
}
