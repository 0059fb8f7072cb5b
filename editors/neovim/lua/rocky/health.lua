-- :checkhealth rocky — what the plugin needs, checked the way it will be used.
local config = require('rocky.config')
local binaries = require('rocky.binaries')

local M = {}

--- `<bin> --version`'s first line, or nil and the error.
local function version_of(path)
  local ok, out = pcall(function()
    return vim.system({ path, '--version' }, { text = true }):wait(5000)
  end)
  if not ok then
    return nil, tostring(out)
  end
  if out.code ~= 0 then
    return nil, ('exit %d: %s'):format(out.code, vim.trim((out.stderr or '') .. (out.stdout or '')))
  end
  local first = vim.split(vim.trim(out.stdout or ''), '\n')[1]
  if first == nil or first == '' then
    return nil, 'printed no version'
  end
  return first
end

function M.check()
  vim.health.start('rocky: Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()) .. ' (≥ 0.11: vim.lsp.config, inlay hints)')
  else
    vim.health.error('Neovim ' .. tostring(vim.version()) .. ' is too old', { 'Rocky needs Neovim 0.11 or newer' })
  end

  vim.health.start('rocky: project')
  local root = config.root_of_buf(0)
  if root then
    vim.health.ok('rocky.toml found: project root ' .. root)
  else
    vim.health.warn('no rocky.toml above ' .. vim.fn.getcwd() .. ' or the current buffer',
      { 'open a file inside a Rocky project (a folder with rocky.toml)' })
  end

  vim.health.start('rocky: binaries')
  for _, spec in ipairs({
    { name = 'rocky-lsp', opt = 'server_path', what = 'language server' },
    { name = 'rocky', opt = 'cli_path', what = 'CLI (:RockyRun, :RockyCheck)' },
  }) do
    local path, err = binaries.resolve(spec.name, config.options[spec.opt], root)
    if not path then
      vim.health.error(spec.what .. ': ' .. err, { ('install it or set %s in require("rocky").setup{}'):format(spec.opt) })
    else
      local version, verr = version_of(path)
      if version then
        vim.health.ok(('%s: %s (%s)'):format(spec.what, path, version))
      else
        vim.health.error(('%s: %s does not answer --version: %s'):format(spec.what, path, verr))
      end
    end
  end

  vim.health.start('rocky: language server')
  local clients = vim.lsp.get_clients({ name = 'rocky' })
  if #clients > 0 then
    for _, c in ipairs(clients) do
      vim.health.ok(('client %d running in %s'):format(c.id, c.root_dir or '?'))
    end
  elseif vim.lsp.config.rocky then
    vim.health.info('configured; starts when a .sql or .toml file of a project is opened')
  else
    vim.health.warn('not configured', { 'call require("rocky").setup() in your init.lua' })
  end
end

return M
