@{
    ModuleVersion = '1.0.0'
    GUID = '4a9e1f3b-2c6d-4e8a-b7f0-1d2c3b4a5e6f'
    RootModule = 'TestVault.Extension.psm1'
    RequiredAssemblies = @()
    FunctionsToExport = @('Get-Secret', 'Get-SecretInfo', 'Set-Secret', 'Remove-Secret', 'Test-SecretVault')
}
