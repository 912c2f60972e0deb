@{
    # The SecretManagement vault of the Secrets module (docs/VAULT.md). Loaded as a nested module of
    # Secrets.psd1, which exports none of these functions: they are for SecretManagement only, which
    # calls them module-qualified ('Secrets.Extension\Get-Secret').
    RootModule           = 'Secrets.Extension.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '8c7e2f4a-3b1d-4e6f-9a2c-5d0b7e1f3a94'
    Author               = 'The Secrets authors'
    CompanyName          = 'The Secrets authors'
    Copyright            = 'Copyright (c) 2026 The Secrets authors. MIT License.'
    Description          = 'SecretManagement extension vault of the Secrets module.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @(
        'Get-Secret'
        'Set-Secret'
        'Remove-Secret'
        'Get-SecretInfo'
        'Set-SecretInfo'
        'Test-SecretVault'
        'Unlock-SecretVault'
        'Unregister-SecretVault'
    )
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
}
