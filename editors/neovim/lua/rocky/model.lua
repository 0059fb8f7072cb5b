-- Models as the language server knows them (`rocky/model`): the server applies the project's
-- naming rules (file stem, sidecar `name`), so the plugin never guesses them.
local M = {}

--- Asks the rocky server attached to `bufnr` for the model of that buffer, or for the model
--- called `name` in its project. Returns the reply ({ name, uri, path, ... }) or nil and why.
---@param bufnr integer
---@param name string|nil
---@return table|nil, string|nil
function M.ask(bufnr, name)
  local client = require('rocky').client(bufnr)
  if not client then
    return nil, 'no rocky language server attached to this buffer'
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, name = name }
  local reply, err = client:request_sync('rocky/model', params, 5000, bufnr)
  if not reply then
    return nil, 'rocky/model: ' .. tostring(err)
  end
  if reply.err then
    return nil, 'rocky/model: ' .. (reply.err.message or vim.inspect(reply.err))
  end
  if reply.result == nil or reply.result == vim.NIL then
    return nil, name and ('no model named ' .. name) or 'this file is not a model of the project'
  end
  return reply.result, nil
end

return M
